using System.Diagnostics;
using System.Text.Json;
using Odock.Gateway.Errors;
using Odock.Gateway.Operations;
using Odock.Gateway.Usage;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// Embeddings, image generation, rerank, tokenize and detokenize on OpenAI, Azure OpenAI, vLLM and OpenAI-compatible
/// servers: the OpenAI-format body goes upstream as sent (model replaced by the upstream slug, or the Azure deployment
/// in the URL) and the answer comes back through the client's surface. What the call used is read from the answer;
/// when it says nothing, Odock's estimate is charged and the ledger row says so.
/// </summary>
internal sealed class OpenAiOperationProvider(HttpMessageInvoker http, GatewayOptions options) : IOperationProvider
{
    public async Task<ChatOutcome> SendAsync(OperationCall call, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var upstream = OpenAiUpstreamRequest.Create(call.Target, call.Request.Operation, call.Request.Body);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (response, failure) = await Upstream.SendAsync(http, upstream, call.WriteErrorAsync, UpstreamClock.Of(call.Context), options.UpstreamTimeout, timeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return failure!;
        }

        using (response)
        {
            var firstByte = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            try
            {
                return response.IsSuccessStatusCode
                    ? await RelayBodyAsync(call, response, firstByte, timeout.Token).ConfigureAwait(false)
                    : await RelayErrorAsync(call, response, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await call.WriteErrorAsync(new GatewayError(504, "upstream_timeout", "The provider stopped answering.")).ConfigureAwait(false);
                return ChatOutcome.Failed(504, "upstream_timeout");
            }
        }
    }

    private static async Task<ChatOutcome> RelayBodyAsync(OperationCall call, HttpResponseMessage response, long firstByte, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        Domain.Models.TokenUsage usage;
        string? raw;
        bool reported;
        try
        {
            using var document = JsonDocument.Parse(body);
            reported = OperationUsage.TryRead(call.Request.Operation, document.RootElement, call.Request, out usage, out raw);
        }
        catch (JsonException)
        {
            await call.WriteErrorAsync(new GatewayError(502, "upstream_invalid_response", "The provider's answer was not valid JSON.")).ConfigureAwait(false);
            return ChatOutcome.Failed(502, "upstream_invalid_response");
        }

        await call.Surface.WriteAnswerAsync(call.Context, call.Request, body, cancellationToken).ConfigureAwait(false);
        return new ChatOutcome(200, usage, !reported, null, reported ? raw : EstimatedUsage.Json(usage), firstByte);
    }

    private static async Task<ChatOutcome> RelayErrorAsync(OperationCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status is >= 400 and < 500)
        {
            // The provider's own words, in the client's family shape: SDKs raise their usual exception.
            var body = await Upstream.ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
            await call.Surface.WriteProviderErrorAsync(call.Context, status, body, cancellationToken).ConfigureAwait(false);
            return ChatOutcome.Failed(status, "upstream_client_error");
        }

        await call.WriteErrorAsync(new GatewayError(502, "upstream_error", $"The provider failed with HTTP {status}.")).ConfigureAwait(false);
        return ChatOutcome.Failed(502, "upstream_error");
    }
}
