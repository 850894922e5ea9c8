using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Domain.Providers;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// OpenAI, Azure OpenAI, vLLM and every OpenAI-compatible server: the (internal, OpenAI-format) body goes upstream as
/// sent, with the model replaced by the upstream slug (or named by the Azure deployment in the URL) and, for streams,
/// <c>stream_options.include_usage</c> switched on so the final chunk carries the provider's token counts. Serves chat
/// completions and the legacy text completions (<see cref="ChatRequest.Operation"/>), whose chunks carry <c>text</c>
/// rather than a <c>delta</c>. Streams are relayed event by event to the client's sink, never buffered whole.
/// </summary>
internal sealed class OpenAiChatProvider(HttpMessageInvoker http, GatewayOptions options) : UpstreamChatProvider(http, options)
{
    protected override ValueTask<ChatOutcome> RelayAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone) =>
        !response.IsSuccessStatusCode ? new(RelayErrorAsync(response, sink, timeout.Token))
        : call.Request.Stream ? new(RelayStreamAsync(call, response, sink, firstByte, timeout, clientGone))
        : RelayBodyAsync(response, sink, firstByte, timeout.Token);

    protected override HttpRequestMessage BuildRequest(ChatCall call)
    {
        // OpenAI and recent Azure versions take max_completion_tokens (reasoning models refuse max_tokens); older Azure
        // versions, OpenAI-compatible servers and vLLM know max_tokens. Legacy completions already default to 16
        // tokens upstream, so they get none added (one they name is still held to the reservation).
        var provider = call.Target.Provider;
        var azure = provider.Type == ProviderType.AzureOpenAi;
        var limitField = call.Request.Operation != UpstreamOperation.ChatCompletions ? null
            : provider.Type == ProviderType.OpenAi || (azure && AzureOpenAiSettings.TakesMaxCompletionTokens(provider.Settings)) ? "max_completion_tokens"
            : "max_tokens";
        var edits = new UpstreamChatEdits(azure ? null : call.Target.Model.UpstreamSlug, limitField, call.OutputLimit, IncludeUsage: call.Request.Stream);
        return OpenAiUpstreamRequest.Create(call.Target, call.Request.Operation, OpenAiUpstreamBody.Write(call.Request, edits));
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<ChatOutcome> RelayBodyAsync(HttpResponseMessage response, IChatSink sink, long firstByte, CancellationToken cancellationToken)
    {
        using var body = await UpstreamBody.ReadAsync(response.Content, cancellationToken).ConfigureAwait(false);
        TokenUsage usage = default;
        string? raw = null;
        var hasUsage = false;
        try
        {
            hasUsage = OpenAiUsage.TryReadCompletion(body.Memory.Span, out usage, out raw);
        }
        catch (JsonException)
        {
            await sink.WriteErrorAsync(new GatewayError(502, "upstream_invalid_response", "The provider's answer was not valid JSON.")).ConfigureAwait(false);
            return ChatOutcome.Failed(502, "upstream_invalid_response");
        }

        await sink.WriteCompletionAsync(body.Memory, cancellationToken).ConfigureAwait(false);
        return new ChatOutcome(200, usage, !hasUsage, null, raw, firstByte);
    }

    /// <summary>Relays the stream; the upstream timeout restarts with every line, so it bounds silence, not length.</summary>
    private async Task<ChatOutcome> RelayStreamAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, long firstByte, CancellationTokenSource timeout, CancellationToken clientGone)
    {
        var cancellationToken = timeout.Token;
        await sink.StartStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var lines = new SseLineReader(stream);
        TokenUsage usage = default;
        string? raw = null;
        var hasUsage = false;
        long deliveredCharacters = 0;
        try
        {
            while (await lines.ReadLineAsync(cancellationToken).ConfigureAwait(false))
            {
                timeout.CancelAfter(UpstreamTimeout);

                // The chunk is a view into the reader's buffer, which stays as it is until the next line is read.
                var chunk = lines.JsonData;
                if (chunk.IsEmpty)
                {
                    continue;
                }

                var (chunkUsage, chunkRaw, characters) = Inspect(chunk);
                deliveredCharacters += characters;
                if (chunkRaw is not null)
                {
                    (usage, raw, hasUsage) = (chunkUsage, chunkRaw, true);
                }

                await sink.WriteChunkAsync(chunk, cancellationToken).ConfigureAwait(false);
            }

            await sink.EndStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException && clientGone.IsCancellationRequested)
        {
            return new ChatOutcome(499, Estimate(call, deliveredCharacters), true, "client_disconnected", raw, firstByte);
        }

        return new ChatOutcome(200, hasUsage ? usage : Estimate(call, deliveredCharacters), !hasUsage, null, raw, firstByte);
    }

    /// <summary>What one chunk carries: its usage (on the final chunk) and how many content characters it delivers.</summary>
    private static (TokenUsage Usage, string? Raw, long Characters) Inspect(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            OpenAiUsage.TryRead(root, out var usage, out var raw);
            long characters = 0;
            if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                foreach (var choice in choices.EnumerateArray())
                {
                    if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                    {
                        characters += JsonText.Utf16Length(content);
                    }
                    else if (choice.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                    {
                        characters += JsonText.Utf16Length(text);
                    }
                }
            }

            return (usage, raw, characters);
        }
        catch (JsonException)
        {
            return (default, null, 0);
        }
    }

    private static TokenUsage Estimate(ChatCall call, long deliveredCharacters) => new()
    {
        InputTokens = call.Request.EstimatedInputTokens,
        OutputTokens = (deliveredCharacters + 3) / 4,
    };

    /// <summary>An OpenAI-format provider's error (chat or Responses): a 4xx in the provider's words, anything else as 502.</summary>
    internal static async Task<ChatOutcome> RelayErrorAsync(HttpResponseMessage response, IChatSink sink, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await Upstream.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
        if (status is >= 400 and < 500)
        {
            // The provider's own words, in the client's family shape: SDKs raise their usual exception.
            await sink.WriteProviderErrorAsync(status, body, cancellationToken).ConfigureAwait(false);
            return ChatOutcome.Failed(status, "upstream_client_error");
        }

        await sink.WriteErrorAsync(new GatewayError(502, "upstream_error", $"The provider failed with HTTP {status}.")).ConfigureAwait(false);
        return ChatOutcome.Failed(502, "upstream_error");
    }
}
