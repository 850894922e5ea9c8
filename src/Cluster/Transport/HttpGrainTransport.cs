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

    public async Task<RemoteCallResult> SendAsync(string address, ReadOnlyMemory<byte> call, TimeSpan remaining, CancellationToken cancellationToken)
    {
        // A request asks for HTTP/1.1 unless told otherwise; grain calls go over HTTP/2 only.
        using var request = new HttpRequestMessage(HttpMethod.Post, CallUriOf(address))
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
            return (int)response.StatusCode switch
            {
                200 => new RemoteCallResult(RemoteCallOutcome.Completed, body),
                ClusterProtocol.NotOwnerStatus or ClusterProtocol.RetryStatus => new RemoteCallResult(RemoteCallOutcome.NotOwner, body),
                ClusterProtocol.GrainErrorStatus or ClusterProtocol.MalformedCallStatus => new RemoteCallResult(RemoteCallOutcome.Failed, body, (int)response.StatusCode),
                _ => new RemoteCallResult(RemoteCallOutcome.Lost, body, (int)response.StatusCode),
            };
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

    public void Dispose() => _client.Dispose();

    /// <summary>The call endpoint of a silo, parsed once per address rather than on every call.</summary>
    private Uri CallUriOf(string address)
    {
        if (_callUris.TryGetValue(address, out var uri))
        {
            return uri;
        }

        // Addresses change only as silos come and go; forget them all now and then rather than track which left.
        if (_callUris.Count >= MaxRememberedSilos)
        {
            _callUris.Clear();
        }

        return _callUris[address] = new Uri(address + ClusterProtocol.CallPath);
    }
}
