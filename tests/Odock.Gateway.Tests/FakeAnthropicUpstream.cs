using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Odock.Testing;

namespace Odock.Gateway.Tests;

/// <summary>An Anthropic Messages API on a loopback port: messages and event streams with usage, and what it received.</summary>
internal sealed class FakeAnthropicUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeAnthropicUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<(JsonObject Body, IHeaderDictionary Headers)> Received { get; } = new();

    /// <summary>Answer with a <c>tool_use</c> block of this tool instead of text, streamed or not.</summary>
    public string? CallTool { get; set; }

    /// <summary>
    /// Web searches the text answer reports in <c>usage.server_tool_use</c> (the stream's final <c>message_delta</c>), as
    /// a model that searched; a stream also shows each as a <c>server_tool_use</c> block before the text.
    /// </summary>
    public int? WebSearches { get; set; }

    /// <summary>How long a text stream goes silent after its first piece, as a provider that stops answering midway.</summary>
    public TimeSpan StallMidStream { get; set; }

    /// <summary>What <c>/v1/messages/count_tokens</c> received.</summary>
    public ConcurrentQueue<(JsonObject Body, IHeaderDictionary Headers)> CountReceived { get; } = new();

    public string BaseUrl => LoopbackApp.Address(_app);

    public static async Task<FakeAnthropicUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new FakeAnthropicUpstream(app);
        app.MapPost("/v1/messages", upstream.HandleAsync);
        app.MapPost("/v1/messages/count_tokens", upstream.CountAsync);
        await app.StartAsync();
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Received.Enqueue((body, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
        var model = body["model"]!.GetValue<string>();
        if (CallTool is { } tool)
        {
            await ToolUseAsync(context, model, tool, body["stream"]?.GetValue<bool>() == true);
            return;
        }

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "msg_fake", type = "message", role = "assistant", model,
                content = new[] { new { type = "text", text = "Bonjour from Anthropic" } },
                stop_reason = "end_turn", stop_sequence = (string?)null,
                usage = WithServerTools(new JsonObject { ["input_tokens"] = 30, ["cache_read_input_tokens"] = 10, ["cache_creation_input_tokens"] = 2, ["output_tokens"] = 4 }),
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await EventAsync(context, "message_start", new { type = "message_start", message = new { id = "msg_fake", type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null, usage = new { input_tokens = 30, cache_read_input_tokens = 10, cache_creation_input_tokens = 0, output_tokens = 1 } } });
        var index = 0;
        for (var i = 0; i < (WebSearches ?? 0); i++, index += 2)
        {
            // Each search: the model's server_tool_use block, then the provider's result block.
            await EventAsync(context, "content_block_start", new { type = "content_block_start", index, content_block = new { type = "server_tool_use", id = $"srvtoolu_{i}", name = "web_search", input = new { } } });
            await EventAsync(context, "content_block_stop", new { type = "content_block_stop", index });
            await EventAsync(context, "content_block_start", new { type = "content_block_start", index = index + 1, content_block = new { type = "web_search_tool_result", tool_use_id = $"srvtoolu_{i}", content = Array.Empty<object>() } });
            await EventAsync(context, "content_block_stop", new { type = "content_block_stop", index = index + 1 });
        }

        await EventAsync(context, "content_block_start", new { type = "content_block_start", index, content_block = new { type = "text", text = "" } });
        foreach (var piece in new[] { "Bonjour", " from", " Anthropic" })
        {
            await EventAsync(context, "content_block_delta", new { type = "content_block_delta", index, delta = new { type = "text_delta", text = piece } });
            if (StallMidStream > TimeSpan.Zero)
            {
                await Task.Delay(StallMidStream, context.RequestAborted);
            }
        }

        await EventAsync(context, "content_block_stop", new { type = "content_block_stop", index });
        await EventAsync(context, "message_delta", new { type = "message_delta", delta = new { stop_reason = "end_turn", stop_sequence = (string?)null }, usage = WithServerTools(new JsonObject { ["output_tokens"] = 7 }) });
        await EventAsync(context, "message_stop", new { type = "message_stop" });
    }

    /// <summary>The usage, with <see cref="WebSearches"/> in <c>server_tool_use</c> when set.</summary>
    private JsonObject WithServerTools(JsonObject usage)
    {
        if (WebSearches is { } searches)
        {
            usage["server_tool_use"] = new JsonObject { ["web_search_requests"] = searches, ["web_fetch_requests"] = 0 };
        }

        return usage;
    }

    private async Task CountAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        CountReceived.Enqueue((body, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
        await context.Response.WriteAsJsonAsync(new { input_tokens = 1234 });
    }

    private static async Task ToolUseAsync(HttpContext context, string model, string tool, bool stream)
    {
        if (!stream)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "msg_fake", type = "message", role = "assistant", model,
                content = new object[] { new { type = "text", text = "Let me check." }, new { type = "tool_use", id = "toolu_fake", name = tool, input = new { city = "Paris" } } },
                stop_reason = "tool_use", stop_sequence = (string?)null,
                usage = new { input_tokens = 50, output_tokens = 9 },
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        await EventAsync(context, "message_start", new { type = "message_start", message = new { id = "msg_fake", type = "message", role = "assistant", model, content = Array.Empty<object>(), stop_reason = (string?)null, stop_sequence = (string?)null, usage = new { input_tokens = 50, output_tokens = 1 } } });
        await EventAsync(context, "content_block_start", new { type = "content_block_start", index = 0, content_block = new { type = "tool_use", id = "toolu_fake", name = tool, input = new { } } });
        foreach (var piece in new[] { "{\"city\"", ":\"Paris\"}" })
        {
            await EventAsync(context, "content_block_delta", new { type = "content_block_delta", index = 0, delta = new { type = "input_json_delta", partial_json = piece } });
        }

        await EventAsync(context, "content_block_stop", new { type = "content_block_stop", index = 0 });
        await EventAsync(context, "message_delta", new { type = "message_delta", delta = new { stop_reason = "tool_use", stop_sequence = (string?)null }, usage = new { output_tokens = 9 } });
        await EventAsync(context, "message_stop", new { type = "message_stop" });
    }

    private static async Task EventAsync(HttpContext context, string name, object data)
    {
        await context.Response.WriteAsync($"event: {name}\ndata: {JsonSerializer.Serialize(data)}\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }
}
