using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Odock.Testing;

namespace Odock.Gateway.Tests;

/// <summary>
/// An OpenAI-compatible server on a loopback port, answering like the real API (chat completions, streamed or not,
/// with usage), recording what it received, and told per test to fail or stall.
/// </summary>
internal sealed class FakeOpenAiUpstream : IAsyncDisposable
{
    /// <summary>As OpenAI's API writes JSON: characters outside ASCII as they are, in UTF-8, not as <c>\u</c> escapes.</summary>
    internal static readonly JsonSerializerOptions EventJson = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly WebApplication _app;

    private FakeOpenAiUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<(JsonObject Body, string? Authorization)> Received { get; } = new();

    /// <summary>The chat bodies received, as the bytes' UTF-8 text: how each value was spelled.</summary>
    public ConcurrentQueue<string> ReceivedText { get; } = new();

    /// <summary>What <c>/v1/responses</c> received, with the path it was sent to.</summary>
    public ConcurrentQueue<(string Path, JsonObject Body, string? Authorization)> ResponsesReceived { get; } = new();

    /// <summary>
    /// When set, a stream stops after its first chunk until this completes, then the connection is cut, as a provider
    /// that dies midway: the test completes it once it has seen that chunk arrive.
    /// </summary>
    public TaskCompletionSource? BreakStreamWhen { get; set; }

    /// <summary>When set, every call answers with this status and an OpenAI error body.</summary>
    public int? FailWith { get; set; }

    public TimeSpan Stall { get; set; }

    /// <summary>With <see cref="FailWith"/>: the error's status and headers go out at once, its body only after this long.</summary>
    public TimeSpan StallErrorBody { get; set; }

    /// <summary>The content of a stream's chunks, one chunk a piece.</summary>
    public IReadOnlyList<string> StreamPieces { get; set; } = ["Hello", " from", " upstream"];

    /// <summary>The text of a whole (not streamed) answer.</summary>
    public string Reply { get; set; } = "Hello from upstream";

    /// <summary>When set, a whole (not streamed) answer is this text, as it is: for answers a provider gets wrong.</summary>
    public string? RawAnswer { get; set; }

    /// <summary>Answer (not streamed) with a call of this tool instead of text.</summary>
    public string? CallTool { get; set; }

    /// <summary>Web searches a Responses answer made: a <c>web_search_call</c> output item each, before the message.</summary>
    public int WebSearchCalls { get; set; }

    /// <summary>How long a Responses stream goes silent after its first text delta, as a provider that stops answering midway.</summary>
    public TimeSpan StallMidStream { get; set; }

    public string BaseUrl => LoopbackApp.Address(_app) + "/v1";

    public static async Task<FakeOpenAiUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new FakeOpenAiUpstream(app);
        app.MapPost("/v1/chat/completions", upstream.HandleAsync);
        app.MapPost("/v1/responses", upstream.HandleResponsesAsync);
        await app.StartAsync();
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        using var bytes = new MemoryStream();
        await context.Request.Body.CopyToAsync(bytes);
        ReceivedText.Enqueue(Encoding.UTF8.GetString(bytes.ToArray()));
        var body = (JsonObject)JsonNode.Parse(bytes.ToArray())!;
        Received.Enqueue((body, context.Request.Headers.Authorization.ToString()));
        if (Stall > TimeSpan.Zero)
        {
            await Task.Delay(Stall, context.RequestAborted);
        }

        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            if (StallErrorBody > TimeSpan.Zero)
            {
                context.Response.ContentType = "application/json";
                await context.Response.StartAsync(context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(StallErrorBody, context.RequestAborted);
            }

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

        if (RawAnswer is { } raw && body["stream"]?.GetValue<bool>() != true)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(raw);
            return;
        }

        if (body["stream"]?.GetValue<bool>() != true)
        {
            await context.Response.WriteAsJsonAsync(new
            {
                id = "chatcmpl-fake", @object = "chat.completion", created = 1_700_000_000, model,
                choices = new[] { new { index = 0, message = new { role = "assistant", content = Reply }, finish_reason = "stop" } },
                usage,
            });
            return;
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var piece in StreamPieces)
        {
            await WriteEventAsync(context, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = new[] { new { index = 0, delta = new { content = piece }, finish_reason = (string?)null } } });
            if (BreakStreamWhen is { } breaking)
            {
                await breaking.Task;
                context.Abort();
                return;
            }
        }

        await WriteEventAsync(context, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = new[] { new { index = 0, delta = new { content = (string?)null }, finish_reason = "stop" } } });
        if (body["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            await WriteEventAsync(context, new { id = "chatcmpl-fake", @object = "chat.completion.chunk", created = 1_700_000_000, model, choices = Array.Empty<object>(), usage });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
    }

    /// <summary>The Responses API: a response object, or its typed events, with Responses usage; a function call when told to.</summary>
    private async Task HandleResponsesAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        ResponsesReceived.Enqueue((context.Request.Path.Value!, body, context.Request.Headers.Authorization.ToString()));
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
        var usage = new { input_tokens = 40, input_tokens_details = new { cached_tokens = 10 }, output_tokens = 6, output_tokens_details = new { reasoning_tokens = 2 }, total_tokens = 46 };
        object item = CallTool is { } tool
            ? new { type = "function_call", id = "fc_fake", call_id = "call_fake", name = tool, arguments = "{\"city\":\"Paris\"}", status = "completed" }
            : new { type = "message", id = "msg_fake", status = "completed", role = "assistant", content = new[] { new { type = "output_text", text = "Hello from upstream responses", annotations = Array.Empty<object>() } } };
        object Response(string state, object[] output, object? used) => new
        {
            id = "resp_fake", @object = "response", created_at = 1_700_000_000, status = state, error = (object?)null, incomplete_details = (object?)null,
            model, output, parallel_tool_calls = true, tool_choice = "auto", tools = Array.Empty<object>(), usage = used,
        };
        var searches = Enumerable.Range(0, WebSearchCalls)
            .Select(i => (object)new { type = "web_search_call", id = $"ws_fake_{i}", status = "completed", action = new { type = "search", query = $"query {i}" } })
            .ToArray();
        if (body["stream"]?.GetValue<bool>() != true)
        {
            await context.Response.WriteAsJsonAsync(Response("completed", [.. searches, item], usage));
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var sequence = 0;
        async Task Event(string type, object data)
        {
            var json = JsonSerializer.SerializeToNode(data)!.AsObject();
            json["type"] = type;
            json["sequence_number"] = sequence++;
            await context.Response.WriteAsync($"event: {type}\ndata: {json.ToJsonString()}\n\n", Encoding.UTF8);
            await context.Response.Body.FlushAsync();
        }

        await Event("response.created", new { response = Response("in_progress", [], null) });
        for (var i = 0; i < searches.Length; i++)
        {
            await Event("response.output_item.added", new { output_index = i, item = searches[i] });
            await Event("response.output_item.done", new { output_index = i, item = searches[i] });
        }

        var messageIndex = searches.Length;
        await Event("response.output_item.added", new { output_index = messageIndex, item });
        foreach (var piece in new[] { "Hello", " from", " upstream responses" })
        {
            await Event("response.output_text.delta", new { item_id = "msg_fake", output_index = messageIndex, content_index = 0, delta = piece });
            if (StallMidStream > TimeSpan.Zero)
            {
                await Task.Delay(StallMidStream, context.RequestAborted);
            }
        }

        await Event("response.output_item.done", new { output_index = messageIndex, item });
        await Event("response.completed", new { response = Response("completed", [.. searches, item], usage) });
    }

    private static async Task WriteEventAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk, EventJson) + "\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }
}
