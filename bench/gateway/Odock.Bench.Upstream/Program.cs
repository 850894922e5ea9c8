// A fast OpenAI-compatible upstream for the gateway load harness: answers chat completions at once with fixed
// bytes (and usage), streamed or not, so what the harness measures is the gateway, not the provider.
using System.Text;

var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 18090;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
var app = builder.Build();

var completion = Encoding.UTF8.GetBytes(
    """{"id":"chatcmpl-bench","object":"chat.completion","created":1700000000,"model":"bench-upstream","choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the bench upstream."},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}""");
var stream = Encoding.UTF8.GetBytes(string.Concat(
    new[] { "Hello", " from", " the", " bench", " upstream." }.Select(piece =>
        $"data: {{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-upstream\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\"{piece}\"}},\"finish_reason\":null}}]}}\n\n"))
    + "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-upstream\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":5,\"total_tokens\":17}}\n\n"
    + "data: [DONE]\n\n");

app.MapPost("/v1/chat/completions", async context =>
{
    using var reader = new StreamReader(context.Request.Body);
    var body = await reader.ReadToEndAsync();
    var streamed = body.Contains("\"stream\":true", StringComparison.Ordinal);
    context.Response.ContentType = streamed ? "text/event-stream" : "application/json";
    await context.Response.Body.WriteAsync(streamed ? stream : completion);
});

app.Run();
