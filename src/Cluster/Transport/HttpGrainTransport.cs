using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Odock.Cluster.Transport;

/// <summary>
/// Grain calls to other silos over HTTP/2 with prior knowledge (no TLS, no upgrade round trip), many streams per
/// connection. Distinguishes a call that surely did not run (no connection) from one whose answer was lost.
/// </summary>
internal sealed class HttpGrainTransport : IDisposable
{
    private const int MaxRememberedSilos = 256;

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    // An invoker, not an HttpClient: the client's timeout and base address are unused here, and it linked a token
    // source to every call's (docs/BENCHMARKS.md, "Eighth round").
    private readonly HttpMessageInvoker _client;
    private readonly ConcurrentDictionary<string, Uri> _callUris = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Uri> _batchUris = new(StringComparer.Ordinal);

    public HttpGrainTransport()
    {
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(5),
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        _client = new HttpMessageInvoker(handler);
    }

    public Task<RemoteCallResult> SendAsync(string address, ReadOnlyMemory<byte> call, TimeSpan remaining, CancellationToken cancellationToken) =>
        SendAsync(UriOf(_callUris, address, ClusterProtocol.CallPath), call, remaining, cancellationToken);

    /// <summary>
    /// Sends a batch of calls (<see cref="CallFrames"/>). The outcome is the batch's as a whole: when it is
    /// <see cref="RemoteCallOutcome.Completed"/> the body holds each call's own answer. A silo that predates batches
    /// answers 404, which comes back as <see cref="RemoteCallOutcome.Lost"/> with that status: none of the calls ran.
    /// </summary>
    public Task<RemoteCallResult> SendBatchAsync(string address, ReadOnlyMemory<byte> calls, TimeSpan remaining, CancellationToken cancellationToken) =>
        SendAsync(UriOf(_batchUris, address, ClusterProtocol.BatchPath), calls, remaining, cancellationToken);

    public void Dispose() => _client.Dispose();

    /// <summary>An endpoint of a silo, parsed once per address rather than on every call.</summary>
    private static Uri UriOf(ConcurrentDictionary<string, Uri> uris, string address, string path)
    {
        if (uris.TryGetValue(address, out var uri))
        {
            return uri;
        }

        // Addresses change only as silos come and go; forget them all now and then rather than track which left.
        if (uris.Count >= MaxRememberedSilos)
        {
            uris.Clear();
        }

        return uris[address] = new Uri(address + path);
    }

    private async Task<RemoteCallResult> SendAsync(Uri uri, ReadOnlyMemory<byte> call, TimeSpan remaining, CancellationToken cancellationToken)
    {
        // A request asks for HTTP/1.1 unless told otherwise; grain calls go over HTTP/2 only.
        using var request = new HttpRequestMessage(HttpMethod.Post, uri)
        {
            Content = new ReadOnlyMemoryContent(call),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation(ClusterProtocol.DeadlineHeader, ((long)Math.Ceiling(remaining.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
        try
        {
            using var response = await _client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return new RemoteCallResult(ClusterProtocol.OutcomeOf(status), body, status);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            return new RemoteCallResult(RemoteCallOutcome.Unreachable, []);
        }
        catch (HttpRequestException)
        {
            // Also a stream reset while the answer's body is read: reading it into a buffer wraps the IOException.
            return new RemoteCallResult(RemoteCallOutcome.Lost, []);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RemoteCallResult(RemoteCallOutcome.Lost, []);
        }
    }
}
