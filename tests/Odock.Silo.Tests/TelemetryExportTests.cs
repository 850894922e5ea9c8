using System.Collections.Concurrent;
using System.Net;
using Odock.Silo.Tests.Infrastructure;

namespace Odock.Silo.Tests;

public sealed class TelemetryExportTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odock-otel-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Metrics_and_traces_are_exported_as_otlp_protobuf_when_an_endpoint_is_configured()
    {
        using var receiver = new OtlpReceiver();
        await using var odock = OdockProcess.Start(_directory,
        [
            "--listen", "http://127.0.0.1:0",
            $"--Odock:Telemetry:OtlpEndpoint={receiver.Address}",
            "--Odock:Telemetry:MetricExportInterval=00:00:00.200",
        ]);
        var address = await odock.WaitForListeningAsync();
        using var http = new HttpClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(new Uri(address, "/readyz"))).StatusCode);

        var metrics = await receiver.WaitForAsync("/v1/metrics", TimeSpan.FromSeconds(30));
        odock.SendSigterm();
        Assert.Equal(0, await odock.WaitForExitAsync());
        var traces = await receiver.WaitForAsync("/v1/traces", TimeSpan.FromSeconds(10));

        Assert.Equal("application/x-protobuf", metrics.ContentType);
        Assert.True(metrics.Length > 0);
        Assert.Equal("application/x-protobuf", traces.ContentType);
    }

    private sealed record Received(string ContentType, long Length);

    /// <summary>A minimal OTLP/HTTP endpoint: accepts every export and remembers what arrived where.</summary>
    private sealed class OtlpReceiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, TaskCompletionSource<Received>> _arrivals = new();
        private readonly Task _loop;

        public OtlpReceiver()
        {
            var port = FreePort();
            Address = $"http://127.0.0.1:{port}";
            _listener.Prefixes.Add(Address + "/");
            _listener.Start();
            _loop = Task.Run(LoopAsync);
        }

        public string Address { get; }

        public Task<Received> WaitForAsync(string path, TimeSpan timeout) => Arrival(path).Task.WaitAsync(timeout);

        public void Dispose()
        {
            _listener.Close();
            _ = _loop;
        }

        private TaskCompletionSource<Received> Arrival(string path) =>
            _arrivals.GetOrAdd(path, _ => new TaskCompletionSource<Received>(TaskCreationOptions.RunContinuationsAsynchronously));

        private async Task LoopAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Arrival(context.Request.Url!.AbsolutePath).TrySetResult(new Received(context.Request.ContentType ?? string.Empty, body.Length));
                context.Response.StatusCode = 200;
                context.Response.Close();
            }
        }

        private static int FreePort()
        {
            using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
