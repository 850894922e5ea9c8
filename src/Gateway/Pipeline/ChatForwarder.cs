using System.Runtime.CompilerServices;
using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// A chat call handed to its provider adapter, ending in an outcome even when the provider accepted the call and then
/// broke its connection midway: that is 502 <c>upstream_stream_broken</c>, written to the client in its own shape and
/// charged the input estimate, since the input was sent. An answer is charged the hosted tool calls its request makes
/// without the answer saying so (<see cref="Chat.HostedToolUse.CallsOfEachAnswer"/>).
/// </summary>
internal static class ChatForwarder
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ChatOutcome> SendAsync(IChatProvider adapter, ChatCall call, IChatSink sink, CancellationToken clientGone)
    {
        try
        {
            var outcome = await adapter.SendAsync(call, sink, clientGone).ConfigureAwait(false);

            // A call its answer does not report (a Chat Completions search) was made once the provider answered.
            return call.Request.HostedTools?.CallsOfEachAnswer is { } calls && outcome.TimeToFirstByteMs is not null && (outcome.Served || outcome.Status == 499)
                ? outcome with { Usage = outcome.Usage with { HostedToolCalls = calls } }
                : outcome;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !clientGone.IsCancellationRequested)
        {
            await sink.WriteErrorAsync(new GatewayError(502, "upstream_stream_broken", "The provider's answer broke off before it ended.")).ConfigureAwait(false);
            return new ChatOutcome(502, new TokenUsage { InputTokens = call.Request.EstimatedInputTokens }, true, "upstream_stream_broken", null, null);
        }
    }
}
