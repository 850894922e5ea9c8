using System.Runtime.CompilerServices;
using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// A chat call handed to its provider adapter, ending in an outcome even when the provider accepted the call and then
/// broke its connection midway: that is 502 <c>upstream_stream_broken</c>, written to the client in its own shape and
/// charged the input estimate, since the input was sent.
/// </summary>
internal static class ChatForwarder
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<ChatOutcome> SendAsync(IChatProvider adapter, ChatCall call, IChatSink sink, CancellationToken clientGone)
    {
        try
        {
            return await adapter.SendAsync(call, sink, clientGone).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !clientGone.IsCancellationRequested)
        {
            await sink.WriteErrorAsync(new GatewayError(502, "upstream_stream_broken", "The provider's answer broke off before it ended.")).ConfigureAwait(false);
            return new ChatOutcome(502, new TokenUsage { InputTokens = call.Request.EstimatedInputTokens }, true, "upstream_stream_broken", null, null);
        }
    }
}
