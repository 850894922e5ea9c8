using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Providers.Gemini;

/// <summary>
/// Gemini models, at <c>{base}/v1beta/models/{slug}:generateContent</c> (or <c>:streamGenerateContent?alt=sse</c>)
/// with the provider key in <c>x-goog-api-key</c>. For Gemini clients the body goes upstream as the client sent it and
/// the answer comes back untranslated, events relayed as they arrive (re-framed as one JSON array when the client did
/// not ask for server-sent events). For other clients the internal (OpenAI) body is translated to Gemini's and the
/// answer back, response by response, through the client's sink. Usage is read from <c>usageMetadata</c>; in a stream
/// every response repeats the running totals, so the last one wins.
/// </summary>
internal sealed class GeminiProvider(HttpMessageInvoker http, GatewayOptions options, TimeProvider time) : UpstreamChatProvider(http, options)
{
    private const string DefaultBaseUrl = "https://generativelanguage.googleapis.com";

    protected override ValueTask<ChatOutcome> RelayAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone)
    {
        if (!response.IsSuccessStatusCode)
        {
            return new(RelayErrorAsync(response, sink, IsNative(call), timeout.Token));
        }

        var translator = IsNative(call) ? null : new GeminiToOpenAi(call.Request.Model, "chatcmpl-" + call.RequestId, time.GetUtcNow().ToUnixTimeSeconds());
        return new(call.Request.Stream
            ? RelayStreamAsync(call, response, sink, translator, firstByte, timeout, clientGone)
            : RelayBodyAsync(call, response, sink, translator, firstByte, timeout.Token));
    }

    private static bool IsNative(ChatCall call) => call.Request.Family == ApiFamily.Gemini && call.Request.NativeBody is not null;

    protected override HttpRequestMessage BuildRequest(ChatCall call)
    {
        var body = IsNative(call) ? call.Request.NativeBody! : OpenAiToGemini.Translate(call.Request);
        if (body["generationConfig"] is not JsonObject config)
        {
            body["generationConfig"] = config = new JsonObject();
        }

        OutputLimit.Ensure(config, call.OutputLimit, "maxOutputTokens", "max_output_tokens");
        body.Remove("model");
        var baseUrl = (call.Target.Provider.BaseUrl ?? DefaultBaseUrl).TrimEnd('/');
        var method = call.Request.Stream ? ":streamGenerateContent?alt=sse" : ":generateContent";
        var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/v1beta/models/{Uri.EscapeDataString(call.Target.Model.UpstreamSlug)}{method}")
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (call.Target.ProviderSecret is { Length: > 0 } secret)
        {
            request.Headers.TryAddWithoutValidation("x-goog-api-key", secret);
        }

        return request;
    }

    private static async Task<ChatOutcome> RelayBodyAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, GeminiToOpenAi? translator, long firstByte, CancellationToken cancellationToken)
    {
        using var body = await UpstreamBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        TokenUsage usage;
        string? raw = null;
        ReadOnlyMemory<byte> translated = default;
        try
        {
            using var document = JsonDocument.Parse(body.Memory);
            (usage, raw) = ReadUsage(document.RootElement, default, null);
            usage = WithSearches(usage, GeminiUsage.SearchQueries(document.RootElement));
            translated = translator?.Completion(document.RootElement) ?? default;
        }
        catch (JsonException)
        {
            await sink.WriteErrorAsync(new GatewayError(502, "upstream_invalid_response", "The provider's answer was not valid JSON.")).ConfigureAwait(false);
            return ChatOutcome.Failed(502, "upstream_invalid_response");
        }

        await WriteAnswerAsync(sink, translator is not null, translated, body.Memory, cancellationToken).ConfigureAwait(false);

        return raw is null
            ? new ChatOutcome(200, new TokenUsage { InputTokens = call.Request.EstimatedInputTokens, HostedToolCalls = usage.HostedToolCalls }, true, null, null, firstByte)
            : new ChatOutcome(200, usage, false, null, raw, firstByte);
    }

    /// <summary>The usage with the answer's Google Search queries as calls of <c>google_search</c>.</summary>
    private static TokenUsage WithSearches(TokenUsage usage, long queries) => usage with { HostedToolCalls = HostedToolCalls.Of("google_search", queries) };

    /// <summary>Relays the stream; the upstream timeout restarts with every line, so it bounds silence, not length.</summary>
    private async Task<ChatOutcome> RelayStreamAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, GeminiToOpenAi? translator, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone)
    {
        var cancellationToken = timeout.Token;
        var client = sink.Response;
        var framing = GeminiStreamFraming.For(client.HttpContext.Request);
        if (translator is null)
        {
            client.StatusCode = StatusCodes.Status200OK;
            client.ContentType = framing.ContentType;
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

        // Each chunk that carries grounding lists the queries so far, so the most any chunk lists is the answer's.
        long searches = 0;
        try
        {
            while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
            {
                timeout.CancelAfter(UpstreamTimeout);
                var data = lines.JsonData;
                using var frame = data.IsEmpty ? null : Parse(data);
                if (frame is not null)
                {
                    (usage, raw) = ReadUsage(frame.RootElement, usage, raw);
                    searches = Math.Max(searches, GeminiUsage.SearchQueries(frame.RootElement));
                    deliveredCharacters += TextLength(frame.RootElement);
                    if (translator is not null)
                    {
                        foreach (var chunk in translator.Chunks(frame.RootElement))
                        {
                            await sink.WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
                        }
                    }
                }

                if (translator is null && framing.IsServerSentEvents)
                {
                    await lines.RelayLineAsync(client, cancellationToken).ConfigureAwait(false);
                }
                else if (translator is null && frame is not null)
                {
                    await framing.WriteAsync(client, data, cancellationToken).ConfigureAwait(false);
                }
            }

            if (translator is not null)
            {
                foreach (var chunk in translator.Finish())
                {
                    await sink.WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
                }

                await sink.EndStreamAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await framing.EndAsync(client, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && clientGone.IsCancellationRequested)
        {
            return new ChatOutcome(499, WithSearches(Estimate(call, usage, deliveredCharacters), searches), true, "client_disconnected", raw, firstByte);
        }

        return raw is null
            ? new ChatOutcome(200, WithSearches(Estimate(call, usage, deliveredCharacters), searches), true, null, null, firstByte)
            : new ChatOutcome(200, WithSearches(usage, searches), false, null, raw, firstByte);
    }

    private static JsonDocument? Parse(ReadOnlyMemory<byte> json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static (TokenUsage Usage, string? Raw) ReadUsage(JsonElement response, TokenUsage usage, string? raw) =>
        response.ValueKind == JsonValueKind.Object && response.TryGetProperty("usageMetadata", out var metadata) && metadata.ValueKind == JsonValueKind.Object
            ? (GeminiUsage.Read(metadata), metadata.GetRawText())
            : (usage, raw);

    private static long TextLength(JsonElement response)
    {
        long characters = 0;
        if (response.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in candidates.EnumerateArray())
            {
                if (candidate.TryGetProperty("content", out var content) && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    characters += parts.EnumerateArray().Sum(p => p.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? JsonText.Utf16Length(text) : 0);
                }
            }
        }

        return characters;
    }

    /// <summary>What a stream cut short (or one that never reported usage) is charged: at least the estimate so far.</summary>
    private static TokenUsage Estimate(ChatCall call, TokenUsage usage, long deliveredCharacters) => usage with
    {
        InputTokens = Math.Max(usage.InputTokens, call.Request.EstimatedInputTokens),
        OutputTokens = Math.Max(usage.OutputTokens, (deliveredCharacters + 3) / 4),
    };

    private static async Task<ChatOutcome> RelayErrorAsync(HttpResponseMessage response, IChatSink sink, bool native, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500)
        {
            var body = await Upstream.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            if (native)
            {
                // Already Google's error shape: relayed as the provider wrote it.
                sink.Response.StatusCode = status;
                sink.Response.ContentType = "application/json";
                await sink.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await sink.WriteProviderErrorAsync(status, OpenAiShapedError(body, status), cancellationToken).ConfigureAwait(false);
            }

            return ChatOutcome.Failed(status, "upstream_client_error");
        }

        await sink.WriteErrorAsync(new GatewayError(502, "upstream_error", $"The provider failed with HTTP {status}.")).ConfigureAwait(false);
        return ChatOutcome.Failed(502, "upstream_error");
    }


    /// <summary>A Google error body re-shaped as OpenAI's, keeping the provider's message and status name.</summary>
    internal static byte[] OpenAiShapedError(byte[] body, int status)
    {
        var message = $"The provider refused the request with HTTP {status}.";
        var type = "invalid_request_error";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : message;
                type = error.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()!.ToLowerInvariant() : type;
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
