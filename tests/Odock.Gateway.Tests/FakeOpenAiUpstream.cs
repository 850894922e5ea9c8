using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Odock.Gateway.Tests;

/// <summary>
/// An OpenAI-compatible server on a loopback port, answering like the real API (chat completions, streamed or not,
/// with usage), recording what it received, and told per test to fail or stall.
/// </summary>
internal sealed class FakeOpenAiUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOpenAiUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<(JsonObject Body, string? Authorization)> Received { get; } = new();

    /// <summary>When set, every call answers with this status and an OpenAI error body.</summary>
    public int? FailWith { get; set; }

    public TimeSpan Stall { get; set; }

    /// <summary>Answer (not streamed) with a call of this tool instead of text.</summary>
    public string? CallTool { get; set; }

    public string BaseUrl => _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/v1";

    public static async Task<FakeOpenAiUpstream> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var upstream = new FakeOpenAiUpstream(app);
        app.MapPost("/v1/chat/completions", upstream.HandleAsync);
        await app.StartAsync();
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Received.Enqueue((body, context.Request.Headers.Authorization.ToString()));
        if (Stall > TimeSpan.Zero)
        {
            await Task.Delay(Stall, context.RequestAborted);
        }

        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = new { message = "upstream says no", type = "invalid_request_error", param = (string?)null, code = "upstream_code" } });
            return;
        }

        var model = body["model"]!.GetValue<string>();
        var usage = new { prompt_tokens = 21, completion_tokens = 3, total_tokens = 24, prompt_tokens_details = new { cached_tokens = 5 } };
        if (CallTool is { } tool)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-fake", @object = "chat.completion", created = 1_700_000_000, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = (string?)null, tool_calls = new[] { new { id = "call_1", type = "function", function = new { name = tool, arguments = "{\"city\":\"Paris\"}" } } } }, finish_reason = "tool_calls" } },
                usage,
            });
            return;
        }

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-fake", @object = "chat.completion", created = 1_700_000_000, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = "Hello from upstream" }, finish_reason = "stop" } },
                usage,
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var piece in new[] { "Hello", " from", " upstream" })
        {
            await WriteEventAsync(context, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = new[] { new { index = 0, delta = new { content = piece }, finish_reason = (string?)null } } });
        }

        await WriteEventAsync(context, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = new[] { new { index = 0, delta = new { content = (string?)null }, finish_reason = "stop" } } });
        if (body["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            await WriteEventAsync(context, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = Array.Empty<object>(), usage });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    private static async Task WriteEventAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }
}
