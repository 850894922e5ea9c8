using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Odock.Bench.Grains;

namespace Odock.Bench.Hosting;

/// <summary>
/// The transport's floor: a bare Kestrel HTTP/2 endpoint and an <see cref="HttpClient"/> set up like the cluster's, sending
/// a request of the same shape and size as a grain call, with no grain runtime on either side. What the
/// <c>remote</c> path costs above this is Odock's; what this costs is HTTP/2 in .NET on this machine.
/// </summary>
internal sealed class Http2Floor : IEchoGrain, IAsyncDisposable
{
    private const string EchoPath = "/echo";

    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly byte[] CallBody = """{"t":"bench_echo","k":"echo-123","m":"Echo(Int32)","a":[123]}"""u8.ToArray();
    private static readonly byte[] ResultBody = "123"u8.ToArray();

    private readonly WebApplication _server;
    private readonly HttpClient _client;
    private readonly string _address;

    private Http2Floor(WebApplication server, HttpClient client, string address)
    {
        _server = server;
        _client = client;
        _address = address;
    }

    public static async Task<Http2Floor> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2));
        var server = builder.Build();
        server.MapPost(EchoPath, async (HttpContext context) =>
        {
            var read = await context.Request.BodyReader.ReadAsync(context.RequestAborted);
            while (!read.IsCompleted)
            {
                context.Request.BodyReader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                read = await context.Request.BodyReader.ReadAsync(context.RequestAborted);
            }

            context.Request.BodyReader.AdvanceTo(read.Buffer.End);
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(ResultBody, context.RequestAborted);
        });
        await server.StartAsync();
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(1),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        return new Http2Floor(server, new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan }, server.Urls.First());
    }

    public async Task<int> Echo(int value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _address + EchoPath)
        {
            Content = new ReadOnlyMemoryContent(CallBody),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        request.Content.Headers.ContentType = Json;
        request.Headers.TryAddWithoutValidation("odock-deadline-ms", "5000");
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        return Utf8Parser.TryParse(body, out int result, out _) ? result : throw new InvalidOperationException("The floor endpoint answered garbage.");
    }

    public Task<long> Increment() => throw new NotSupportedException("The floor measures only the echo round trip.");

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _server.StopAsync();
        await _server.DisposeAsync();
    }
}
