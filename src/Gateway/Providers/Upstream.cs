using System.Runtime.CompilerServices;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Providers;

/// <summary>
/// Sends a request to a provider under the upstream timeout, and turns what prevented an answer (no connection, no
/// headers in time) into the client's error and the call's outcome. Every adapter starts a call this way.
/// </summary>
internal static class Upstream
{
    public static ValueTask<(HttpResponseMessage? Response, ChatOutcome? Failure)> SendAsync(
        HttpMessageInvoker http, HttpRequestMessage request, IChatSink sink, TimeSpan limit, CancellationTokenSource timeout, CancellationToken clientGone) =>
        SendAsync(http, request, sink, null, UpstreamClock.Of(sink.Response.HttpContext), limit, timeout, clientGone);

    /// <summary>The same, for callers that write errors without a chat sink.</summary>
    /// <param name="clock">The request's provider-time clock, which the wait for the answer's headers is added to.</param>
    public static ValueTask<(HttpResponseMessage? Response, ChatOutcome? Failure)> SendAsync(
        HttpMessageInvoker http, HttpRequestMessage request, Func<GatewayError, Task> writeError, UpstreamClock? clock, TimeSpan limit, CancellationTokenSource timeout, CancellationToken clientGone) =>
        SendAsync(http, request, null, writeError, clock, limit, timeout, clientGone);

    /// <summary>Errors go to <paramref name="sink"/> when there is one (no delegate is made for it), else to <paramref name="writeError"/>.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(HttpResponseMessage? Response, ChatOutcome? Failure)> SendAsync(
        HttpMessageInvoker http, HttpRequestMessage request, IChatSink? sink, Func<GatewayError, Task>? writeError, UpstreamClock? clock, TimeSpan limit, CancellationTokenSource timeout, CancellationToken clientGone)
    {
        timeout.CancelAfter(limit);
        clock?.Start();
        try
        {
            return (await http.SendAsync(request, timeout.Token).ConfigureAwait(false), null);
        }
        catch (OperationCanceledException) when (!clientGone.IsCancellationRequested)
        {
            await WriteErrorAsync(sink, writeError, new GatewayError(504, "upstream_timeout", $"The provider did not answer within {limit.TotalSeconds:0} s.")).ConfigureAwait(false);
            return (null, ChatOutcome.Failed(504, "upstream_timeout"));
        }
        catch (HttpRequestException ex)
        {
            await WriteErrorAsync(sink, writeError, new GatewayError(502, "upstream_unreachable", $"The provider could not be reached: {ex.Message}")).ConfigureAwait(false);
            return (null, ChatOutcome.Failed(502, "upstream_unreachable"));
        }
        finally
        {
            clock?.Stop();
        }
    }

    private static Task WriteErrorAsync(IChatSink? sink, Func<GatewayError, Task>? writeError, GatewayError error) =>
        sink is not null ? sink.WriteErrorAsync(error) : writeError!(error);

    /// <summary>At most 64 KiB of an error body: enough for any provider's message, bounded whatever it sends.</summary>
    public static async Task<byte[]> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var buffer = new byte[64 * 1024];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), cancellationToken).ConfigureAwait(false)) > 0)
        {
            read += n;
        }

        return buffer[..read];
    }
}
