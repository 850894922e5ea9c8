// The floor for the gateway load harness (run.sh, FLOOR=1): a bare reverse proxy in front of the same upstream, built
// from what the gateway itself is built on (Kestrel, and HttpClient's SocketsHttpHandler through an
// HttpMessageInvoker), on the same core. It reads the request body, sends it upstream unchanged, and relays the
// status, the content type and the body as it arrives: no key, no JSON, no governance, no ledger. Through it, the
// harness measures what any .NET proxy on this core and host adds, so the gateway's rows can be read as that floor
// plus Odock's own work.
using System.Buffers;
using System.Net.Http.Headers;

var port = int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture);
var upstream = new Uri($"http://127.0.0.1:{int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)}/v1/chat/completions");
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();
using var http = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false });
var json = new MediaTypeHeaderValue("application/json");

app.MapPost("/v1/chat/completions", async context =>
{
    var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    try
    {
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
        {
            length += read;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, upstream) { Content = new ReadOnlyMemoryContent(buffer.AsMemory(0, length)) };
        request.Content.Headers.ContentType = json;
        using var response = await http.SendAsync(request, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        context.Response.ContentType = response.Content.Headers.ContentType?.ToString();
        context.Response.ContentLength = response.Content.Headers.ContentLength;
        // Copied as it arrives, so a stream's first event is not held back.
        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }
    finally
    {
        ArrayPool<byte>.Shared.Return(buffer);
    }
});

app.Run();
