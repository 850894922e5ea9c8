using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Providers.Anthropic;

/// <summary>
/// Anthropic models. For Anthropic clients the body goes upstream as the client sent it (model replaced by the
/// upstream slug), with the client's <c>anthropic-version</c> and <c>anthropic-beta</c>, and the answer comes back
/// untranslated, events relayed as they arrive. For other clients the internal (OpenAI) body is translated to
/// Anthropic's and the answer back, event by event, through the client's sink. Usage is read from
/// <c>message_start</c> (input and cache tokens) and the final <c>message_delta</c> (output tokens).
/// </summary>
internal sealed class AnthropicMessagesProvider(HttpMessageInvoker http, GatewayOptions options, TimeProvider time) : UpstreamChatProvider(http, options)
{
    /// <summary>The API version sent when the client named none.</summary>
    public const string DefaultVersion = "2023-06-01";

    protected override ValueTask<ChatOutcome> RelayAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone)
    {
        if (!response.IsSuccessStatusCode)
        {
            return new(RelayErrorAsync(response, sink, IsNative(call), timeout.Token));
        }

        var translator = IsNative(call) ? null : new AnthropicToOpenAi(call.Request.Model, "chatcmpl-" + call.RequestId, time.GetUtcNow().ToUnixTimeSeconds());
        return new(call.Request.Stream
            ? RelayStreamAsync(call, response, sink, translator, firstByte, timeout, clientGone)
            : RelayBodyAsync(response, sink, translator, firstByte, timeout.Token));
    }

    private static bool IsNative(ChatCall call) => call.Request.Family == ApiFamily.Anthropic && call.Request.NativeBody is not null;

    protected override HttpRequestMessage BuildRequest(ChatCall call)
    {
        var body = IsNative(call) ? call.Request.NativeBody! : OpenAiToAnthropic.Translate(call.Request, call.Target.Model.UpstreamSlug);
        OutputLimit.Ensure(body, call.OutputLimit, "max_tokens");
        if (IsNative(call) && call.HostedToolLimit is { } toolCalls && call.Request.HostedTools is { } hosted && body["tools"] is JsonArray tools)
        {
            // Each server tool that takes a bound and names none gets the one reserved (CallPlan.HostedToolLimit).
            foreach (var tool in hosted.Tools)
            {
                if (hosted.CanBound(tool) && tool.MaxUses is null && tools[tool.Index] is JsonObject definition)
                {
                    definition["max_uses"] = toolCalls;
                }
            }
        }

        body["model"] = call.Target.Model.UpstreamSlug;
        var baseUrl = (call.Target.Provider.BaseUrl ?? "https://api.anthropic.com").TrimEnd('/');
        var request = new HttpRequestMessage(HttpMethod.Post, baseUrl + "/v1/messages")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (call.Target.ProviderSecret is { Length: > 0 } secret)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", secret);
        }

        request.Headers.TryAddWithoutValidation("anthropic-version", call.Request.NativeHeaders.TryGetValue("anthropic-version", out var version) ? version : DefaultVersion);
        if (call.Request.NativeHeaders.TryGetValue("anthropic-beta", out var beta))
        {
            request.Headers.TryAddWithoutValidation("anthropic-beta", beta);
        }

        return request;
    }

    private static async Task<ChatOutcome> RelayBodyAsync(HttpResponseMessage response, IChatSink sink, AnthropicToOpenAi? translator, long firstByte, CancellationToken cancellationToken)
    {
        using var body = await UpstreamBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        TokenUsage usage = default;
        string? raw = null;
        ReadOnlyMemory<byte> translated = default;
        try
        {
            using var document = JsonDocument.Parse(body.Memory);
            if (document.RootElement.TryGetProperty("usage", out var element))
            {
                usage = AnthropicUsage.Read(element);
                raw = element.GetRawText();
            }

            translated = translator?.Completion(document.RootElement) ?? default;
        }
        catch (JsonException)
        {
            await sink.WriteErrorAsync(new GatewayError(502, "upstream_invalid_response", "The provider's answer was not valid JSON.")).ConfigureAwait(false);
            return ChatOutcome.Failed(502, "upstream_invalid_response");
        }

        await WriteAnswerAsync(sink, translator is not null, translated, body.Memory, cancellationToken).ConfigureAwait(false);

        return new ChatOutcome(200, usage, raw is null, null, raw, firstByte);
    }

    private async Task<ChatOutcome> RelayStreamAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, AnthropicToOpenAi? translator, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone)
    {
        var cancellationToken = timeout.Token;
        var client = sink.Response;
        if (translator is null)
        {
            client.StatusCode = StatusCodes.Status200OK;
            client.ContentType = "text/event-stream";
            client.Headers.CacheControl = "no-cache";
            await client.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await sink.StartStreamAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var lines = new SseLineReader(stream);
        TokenUsage usage = default;
        string? raw = null;
        long deliveredCharacters = 0;

        // The server tool calls the stream has shown (a server_tool_use block each), for a stream cut before the final
        // usage counts them: the provider bills them all the same.
        List<KeyValuePair<string, long>>? serverToolCalls = null;
        try
        {
            while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
            {
                timeout.CancelAfter(UpstreamTimeout);
                if (lines.JsonData is { IsEmpty: false } json)
                {
                    (usage, raw, deliveredCharacters) = Inspect(json, usage, raw, deliveredCharacters, ref serverToolCalls);
                    if (translator is not null)
                    {
                        using var streamEvent = JsonDocument.Parse(json);
                        foreach (var chunk in translator.Chunks(streamEvent.RootElement))
                        {
                            await sink.WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                if (translator is null)
                {
                    await lines.RelayLineAsync(client, cancellationToken).ConfigureAwait(false);
                }
            }

            if (translator is not null)
            {
                await sink.EndStreamAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && clientGone.IsCancellationRequested)
        {
            var estimated = WithShownToolCalls(usage, serverToolCalls) with
            {
                InputTokens = Math.Max(usage.InputTokens, call.Request.EstimatedInputTokens),
                OutputTokens = Math.Max(usage.OutputTokens, (deliveredCharacters + 3) / 4),
            };
            return new ChatOutcome(499, estimated, true, "client_disconnected", raw, firstByte);
        }

        return new ChatOutcome(200, WithShownToolCalls(usage, serverToolCalls), raw is null, null, raw, firstByte);
    }

    /// <summary>The usage's own count of server tool calls, or, when the stream ended before it, the calls it showed.</summary>
    private static TokenUsage WithShownToolCalls(TokenUsage usage, List<KeyValuePair<string, long>>? shown) =>
        usage.HostedToolCalls is null && shown is not null ? usage with { HostedToolCalls = HostedToolCalls.Of(shown) } : usage;

    private static (TokenUsage Usage, string? Raw, long Characters) Inspect(
        ReadOnlyMemory<byte> json, TokenUsage usage, string? raw, long characters, ref List<KeyValuePair<string, long>>? serverToolCalls)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var type = root.TryGetProperty("type", out var t) ? t.GetString() : null;
            if (type == "content_block_start" && root.TryGetProperty("content_block", out var block) && block.ValueKind == JsonValueKind.Object
                && block.TryGetProperty("type", out var blockType) && blockType.ValueEquals("server_tool_use")
                && block.TryGetProperty("name", out var tool) && tool.ValueKind == JsonValueKind.String && tool.GetString() is { Length: > 0 } name)
            {
                (serverToolCalls ??= []).Add(new(name, 1));
            }

            if (type == "message_start" && root.TryGetProperty("message", out var message) && message.TryGetProperty("usage", out var start))
            {
                return (AnthropicUsage.Read(start, usage), start.GetRawText(), characters);
            }

            if (type == "message_delta" && root.TryGetProperty("usage", out var delta))
            {
                return (AnthropicUsage.Read(delta, usage), delta.GetRawText(), characters);
            }

            if (type == "content_block_delta" && root.TryGetProperty("delta", out var content) && content.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
            {
                return (usage, raw, characters + JsonText.Utf16Length(text));
            }
        }
        catch (JsonException)
        {
        }

        return (usage, raw, characters);
    }

    private static async Task<ChatOutcome> RelayErrorAsync(HttpResponseMessage response, IChatSink sink, bool native, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500)
        {
            var buffer = await Upstream.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (native)
            {
                // Already Anthropic's error shape: relayed as the provider wrote it.
                sink.Response.StatusCode = status;
                sink.Response.ContentType = "application/json";
                await sink.Response.Body.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await sink.WriteProviderErrorAsync(status, OpenAiShapedError(buffer, status), cancellationToken).ConfigureAwait(false);
            }

            return ChatOutcome.Failed(status, "upstream_client_error");
        }

        await sink.WriteErrorAsync(new GatewayError(502, "upstream_error", $"The provider failed with HTTP {status}.")).ConfigureAwait(false);
        return ChatOutcome.Failed(502, "upstream_error");
    }

    /// <summary>An Anthropic error body re-shaped as OpenAI's, keeping the provider's message and type.</summary>
    private static byte[] OpenAiShapedError(ReadOnlySpan<byte> body, int status)
    {
        var message = $"The provider refused the request with HTTP {status}.";
        var type = "invalid_request_error";
        try
        {
            using var document = JsonDocument.Parse(body.ToArray());
            if (document.RootElement.TryGetProperty("error", out var error))
            {
                message = error.TryGetProperty("message", out var m) ? m.GetString() ?? message : message;
                type = error.TryGetProperty("type", out var t) ? t.GetString() ?? type : type;
            }
        }
        catch (JsonException)
        {
        }

        return JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["error"] = new Dictionary<string, object?> { ["message"] = message, ["type"] = type, ["param"] = null, ["code"] = "upstream_client_error" },
        });
    }

}
