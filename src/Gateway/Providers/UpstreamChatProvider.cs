using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Providers;

/// <summary>
/// A chat adapter that calls a provider over HTTP, in the one shape every such exchange has: the adapter builds the
/// request; it goes out under the upstream timeout (<see cref="Upstream"/>), which also turns a provider that cannot be
/// reached or sends no headers in time into the client's error; the wait for the answer's headers is timed; and the
/// adapter relays the answer, error or not. A provider that stops answering midway (the timeout, which a relay restarts
/// as data arrives, <see cref="UpstreamTimeout"/>) becomes 504 <c>upstream_timeout</c> in the client's shape; a client
/// that goes away cancels the call.
/// </summary>
internal abstract class UpstreamChatProvider(HttpMessageInvoker http, GatewayOptions options) : IChatProvider
{
    /// <summary>How long the provider may stay silent: before the answer's headers, and between two parts of a stream.</summary>
    protected TimeSpan UpstreamTimeout => options.UpstreamTimeout;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<ChatOutcome> SendAsync(ChatCall call, IChatSink sink, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var upstream = BuildRequest(call);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var (response, failure) = await Upstream.SendAsync(http, upstream, sink, options.UpstreamTimeout, timeout, cancellationToken).ConfigureAwait(false);
        if (response is null)
        {
            return failure!;
        }

        using (response)
        {
            var firstByte = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            try
            {
                return await RelayAsync(call, response, sink, firstByte, timeout, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await sink.WriteErrorAsync(new GatewayError(504, "upstream_timeout", "The provider stopped answering.")).ConfigureAwait(false);
                return ChatOutcome.Failed(504, "upstream_timeout");
            }
        }
    }

    /// <summary>The provider's HTTP request for <paramref name="call"/>; <see cref="SendAsync"/> disposes it.</summary>
    protected abstract HttpRequestMessage BuildRequest(ChatCall call);

    /// <summary>
    /// Reads the provider's answer, which began <paramref name="firstByteMs"/> after the call started, and relays it to
    /// the client's sink; <paramref name="timeout"/> cancels a read that waits too long.
    /// </summary>
    protected abstract ValueTask<ChatOutcome> RelayAsync(ChatCall call, HttpResponseMessage response, IChatSink sink, long firstByteMs, CancellationTokenSource timeout, CancellationToken clientGone);

    /// <summary>
    /// A whole answer to the client: the translation through the client's sink, or, when the client speaks the
    /// provider's own API (<paramref name="translated"/> false), the provider's bytes as they came.
    /// </summary>
    protected static Task WriteAnswerAsync(IChatSink sink, bool translated, ReadOnlyMemory<byte> translation, ReadOnlyMemory<byte> native, CancellationToken cancellationToken)
    {
        if (translated)
        {
            return sink.WriteCompletionAsync(translation, cancellationToken);
        }

        sink.Response.StatusCode = StatusCodes.Status200OK;
        sink.Response.ContentType = "application/json";
        return sink.Response.Body.WriteAsync(native, cancellationToken).AsTask();
    }
}
