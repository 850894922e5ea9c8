using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// Responses API clients on OpenAI-format providers: the body goes to the provider's <c>/responses</c> as the client
/// sent it, with the model replaced by the upstream slug, and the answer comes back untranslated, stream events relayed
/// as they arrive. Usage is read from the response object, or in a stream from the terminal event
/// (<c>response.completed</c>, <c>response.incomplete</c> or <c>response.failed</c>), which carries the whole response.
/// </summary>
internal sealed class OpenAiResponsesProvider(HttpMessageInvoker http, GatewayOptions options) : UpstreamChatProvider(http, options)
{
    protected override HttpRequestMessage BuildRequest(ChatCall call)
    {
        var body = call.Request.NativeBody!;
        OutputLimit.Ensure(body, call.OutputLimit, "max_output_tokens");
        if (call.HostedToolLimit is { } toolCalls && body["max_tool_calls"] is null)
        {
            // One bound for all of OpenAI's own tools, as reserved (CallPlan.HostedToolLimit).
            body["max_tool_calls"] = toolCalls;
        }

        return OpenAiUpstreamRequest.Create(call.Target, UpstreamOperation.Responses, body);
    }

    protected override ValueTask<ChatOutcome> RelayAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone) =>
        new(!response.IsSuccessStatusCode ? OpenAiChatProvider.RelayErrorAsync(response, sink, timeout.Token)
            : call.Request.Stream ? RelayStreamAsync(call, response, sink, firstByte, timeout, clientGone)
            : RelayBodyAsync(response, sink, firstByte, timeout.Token));

    private static async Task<ChatOutcome> RelayBodyAsync(HttpResponseMessage response, IChatSink sink, long firstByte, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        TokenUsage usage;
        string? raw;
        bool hasUsage;
        try
        {
            using var document = JsonDocument.Parse(body);
            hasUsage = OpenAiUsage.TryReadResponse(document.RootElement, out usage, out raw);
        }
        catch (JsonException)
        {
            await sink.WriteErrorAsync(new GatewayError(502, "upstream_invalid_response", "The provider's answer was not valid JSON.")).ConfigureAwait(false);
            return ChatOutcome.Failed(502, "upstream_invalid_response");
        }

        sink.Response.StatusCode = StatusCodes.Status200OK;
        sink.Response.ContentType = "application/json";
        await sink.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        return new ChatOutcome(200, usage, !hasUsage, null, raw, firstByte);
    }

    /// <summary>Relays the stream line by line; the upstream timeout restarts with every line, so it bounds silence, not length.</summary>
    private async Task<ChatOutcome> RelayStreamAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone)
    {
        var cancellationToken = timeout.Token;
        var client = sink.Response;
        client.StatusCode = StatusCodes.Status200OK;
        client.ContentType = "text/event-stream";
        client.Headers.CacheControl = "no-cache";
        await client.StartAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var lines = new SseLineReader(stream);
        TokenUsage usage = default;
        string? raw = null;
        long deliveredCharacters = 0;

        // The built-in tool calls the stream has shown (an output item each), for a stream cut before its terminal
        // event counts them: the provider bills them all the same.
        List<KeyValuePair<string, long>>? toolCalls = null;
        try
        {
            while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
            {
                timeout.CancelAfter(UpstreamTimeout);
                if (lines.JsonData is { IsEmpty: false } json)
                {
                    (usage, raw, deliveredCharacters) = Inspect(json, usage, raw, deliveredCharacters, ref toolCalls);
                }

                await lines.RelayLineAsync(client, cancellationToken).ConfigureAwait(false);
            }

            await client.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && clientGone.IsCancellationRequested)
        {
            return new ChatOutcome(499, raw is null ? Estimate(call, deliveredCharacters, toolCalls) : usage, raw is null, "client_disconnected", raw, firstByte);
        }

        return raw is null
            ? new ChatOutcome(200, Estimate(call, deliveredCharacters, toolCalls), true, null, null, firstByte)
            : new ChatOutcome(200, usage, false, null, raw, firstByte);
    }

    /// <summary>What a stream without a terminal event is charged: the input estimate, the text delivered, the tool calls shown.</summary>
    private static TokenUsage Estimate(ChatCall call, long deliveredCharacters, List<KeyValuePair<string, long>>? toolCalls) => new()
    {
        InputTokens = call.Request.EstimatedInputTokens,
        OutputTokens = (deliveredCharacters + 3) / 4,
        HostedToolCalls = toolCalls is null ? null : HostedToolCalls.Of(toolCalls),
    };

    /// <summary>What one event carries: the usage of a terminal event, or how many characters of text it delivers.</summary>
    private static (TokenUsage Usage, string? Raw, long Characters) Inspect(
        ReadOnlyMemory<byte> json, TokenUsage usage, string? raw, long characters, ref List<KeyValuePair<string, long>>? toolCalls)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var type = root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            if (type == "response.output_item.added" && root.TryGetProperty("item", out var item) && item.ValueKind == JsonValueKind.Object
                && item.TryGetProperty("type", out var itemType) && itemType.ValueKind == JsonValueKind.String
                && OpenAiUsage.HostedToolOf(itemType.GetString()) is { } tool)
            {
                (toolCalls ??= []).Add(new(tool, 1));
            }

            if (type is "response.completed" or "response.incomplete" or "response.failed"
                && root.TryGetProperty("response", out var final) && OpenAiUsage.TryReadResponse(final, out var read, out var readRaw))
            {
                return (read, readRaw, characters);
            }

            if (type == "response.output_text.delta" && root.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.String)
            {
                return (usage, raw, characters + JsonText.Utf16Length(delta));
            }
        }
        catch (JsonException)
        {
        }

        return (usage, raw, characters);
    }
}
