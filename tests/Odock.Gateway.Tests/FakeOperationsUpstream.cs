using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Odock.Testing;

namespace Odock.Gateway.Tests;

/// <summary>
/// One loopback server answering like the real APIs for everything but chat: OpenAI's embeddings and image generation
/// (also under Azure's deployment paths, and Azure's chat completions), vLLM's completions (streamed or not), rerank,
/// tokenize and detokenize, and Gemini's embedContent and batchEmbedContents. Records what it received; told per test
/// to fail.
/// </summary>
internal sealed class FakeOperationsUpstream : IAsyncDisposable
{
    /// <summary>The vector every embedding call answers with, so tests can compare what reaches the client.</summary>
    public static readonly float[] Vector = [0.25f, -0.5f, 0.125f, 1f];

    private readonly WebApplication _app;

    private FakeOperationsUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<(string PathAndQuery, JsonObject Body, IHeaderDictionary Headers)> Received { get; } = new();

    /// <summary>When set, every call answers with this status and an OpenAI (or Google) error body.</summary>
    public int? FailWith { get; set; }

    /// <summary>How long every call waits before answering (cancelled when the caller goes away).</summary>
    public TimeSpan Stall { get; set; }

    public string Root => LoopbackApp.Address(_app);

    /// <summary>Sends <paramref name="request"/>, waits until it reaches this upstream, then hangs up as a client that goes away does.</summary>
    public async Task AbandonAsync(HttpClient http, HttpRequestMessage request)
    {
        using var cancel = new CancellationTokenSource();
        var call = http.SendAsync(request, cancel.Token);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (Received.IsEmpty)
        {
            Assert.True(DateTime.UtcNow < deadline, "the call never reached the provider");
            await Task.Delay(10);
        }

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    public string BaseUrl => Root + "/v1";

    public static async Task<FakeOperationsUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new FakeOperationsUpstream(app);
        app.MapPost("/v1/embeddings", upstream.Handle(Embeddings));
        app.MapPost("/v1/images/generations", upstream.Handle(Images));
        app.MapPost("/v1/completions", upstream.Handle(CompletionsAsync));
        app.MapPost("/v1/rerank", upstream.Handle(Rerank));
        app.MapPost("/tokenize", upstream.Handle((_, _) => Results.Json(new { count = 3, max_model_len = 4096, tokens = new[] { 101, 102, 103 } })));
        app.MapPost("/detokenize", upstream.Handle((_, _) => Results.Json(new { prompt = "hello world" })));
        app.MapPost("/openai/deployments/{deployment}/embeddings", upstream.Handle(Embeddings));
        app.MapPost("/openai/deployments/{deployment}/images/generations", upstream.Handle(Images));
        app.MapPost("/openai/deployments/{deployment}/chat/completions", upstream.Handle(AzureChatAsync));
        app.MapPost("/v1beta/models/{**modelAndMethod}", upstream.Handle(GeminiEmbed, google: true));
        await app.StartAsync();
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private Func<HttpContext, Task> Handle(Func<HttpContext, JsonObject, IResult> answer, bool google = false) =>
        Handle((context, body) => Task.FromResult(answer(context, body)), google);

    private Func<HttpContext, Task> Handle(Func<HttpContext, JsonObject, Task<IResult>> answer, bool google = false) => async context =>
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Received.Enqueue((context.Request.Path + context.Request.QueryString, body, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
        if (Stall > TimeSpan.Zero)
        {
            await Task.Delay(Stall, context.RequestAborted);
        }

        if (FailWith is { } status)
        {
            object error = google
                ? new { error = new { code = status, message = "upstream says no", status = "INVALID_ARGUMENT" } }
                : new { error = new { message = "upstream says no", type = "invalid_request_error", param = (string?)null, code = "upstream_code" } };
            await Results.Json(error, statusCode: status).ExecuteAsync(context);
            return;
        }

        await (await answer(context, body)).ExecuteAsync(context);
    };

    private static IResult Embeddings(HttpContext context, JsonObject body)
    {
        var inputs = body["input"] is JsonArray array && array.All(i => i is JsonValue v && v.GetValueKind() == JsonValueKind.String) ? array.Count : 1;
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = Enumerable.Range(0, inputs).Select(i => new { @object = "embedding", index = i, embedding = base64 ? (object)Base64(Vector) : Vector }).ToArray();
        return Results.Json(new { @object = "list", data, model = body["model"]?.GetValue<string>() ?? "azure-deployment", usage = new { prompt_tokens = 7, total_tokens = 7 } });
    }

    private static IResult Images(HttpContext context, JsonObject body)
    {
        var n = body["n"]?.GetValue<int>() ?? 1;
        var png = Convert.ToBase64String([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        return Results.Json(new
        {
            created = 1_700_000_000,
            data = Enumerable.Range(0, n).Select(_ => new { b64_json = png }).ToArray(),
            usage = new { input_tokens = 50, output_tokens = 4160, total_tokens = 4210, input_tokens_details = new { text_tokens = 50, image_tokens = 0 } },
        });
    }

    private static IResult Rerank(HttpContext context, JsonObject body) => Results.Json(new
    {
        id = "rerank-fake",
        model = body["model"]!.GetValue<string>(),
        usage = new { total_tokens = 42 },
        results = new[] { new { index = 1, document = new { text = "second" }, relevance_score = 0.9 }, new { index = 0, document = new { text = "first" }, relevance_score = 0.1 } },
    });

    private static async Task<IResult> CompletionsAsync(HttpContext context, JsonObject body)
    {
        var model = body["model"]!.GetValue<string>();
        var usage = new { prompt_tokens = 11, completion_tokens = 3, total_tokens = 14 };
        if (body["stream"]?.GetValue<bool>() != true)
        {
            return Results.Json(new { id = "cmpl-fake", @object = "text_completion", created = 1_700_000_000, model, choices = new[] { new { index = 0, text = "Paris is nice", logprobs = (object?)null, finish_reason = "stop" } }, usage });
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var piece in new[] { "Paris", " is", " nice" })
        {
            await WriteEventAsync(context, new { id = "cmpl-fake", @object = "text_completion", created = 1_700_000_000, model, choices = new[] { new { index = 0, text = piece, logprobs = (object?)null, finish_reason = (string?)null } } });
        }

        if (body["stream_options"]?["include_usage"]?.GetValue<bool>() == true)
        {
            await WriteEventAsync(context, new { id = "cmpl-fake", @object = "text_completion", created = 1_700_000_000, model, choices = Array.Empty<object>(), usage });
        }

        await context.Response.WriteAsync("data: [DONE]\n\n");
        return Results.Empty;
    }

    private static async Task<IResult> AzureChatAsync(HttpContext context, JsonObject body)
    {
        var usage = new { prompt_tokens = 13, completion_tokens = 4, total_tokens = 17 };
        if (body["stream"]?.GetValue<bool>() != true)
        {
            return Results.Json(new { id = "chatcmpl-azure", @object = "chat.completion", created = 1_700_000_000, model = "gpt-4o", choices = new[] { new { index = 0, message = new { role = "assistant", content = "Hello from Azure" }, finish_reason = "stop" } }, usage });
        }

        context.Response.ContentType = "text/event-stream";
        foreach (var piece in new[] { "Hello", " from", " Azure" })
        {
            await WriteEventAsync(context, new { id = "chatcmpl-azure", @object = "chat.completion.chunk", created = 1_700_000_000, model = "gpt-4o", choices = new[] { new { index = 0, delta = new { content = piece }, finish_reason = (string?)null } } });
        }

        await WriteEventAsync(context, new { id = "chatcmpl-azure", @object = "chat.completion.chunk", created = 1_700_000_000, model = "gpt-4o", choices = Array.Empty<object>(), usage });
        await context.Response.WriteAsync("data: [DONE]\n\n");
        return Results.Empty;
    }

    /// <summary>Gemini's embedding methods, which report no token counts.</summary>
    private static IResult GeminiEmbed(HttpContext context, JsonObject body) =>
        context.Request.Path.Value!.EndsWith(":batchEmbedContents", StringComparison.Ordinal)
            ? Results.Json(new { embeddings = body["requests"]!.AsArray().Select(_ => new { values = Vector }).ToArray() })
            : Results.Json(new { embedding = new { values = Vector } });

    private static string Base64(float[] vector)
    {
        var bytes = new byte[vector.Length * 4];
        for (var i = 0; i < vector.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * 4), vector[i]);
        }

        return Convert.ToBase64String(bytes);
    }

    private static async Task WriteEventAsync(HttpContext context, object chunk)
    {
        await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(chunk) + "\n\n", Encoding.UTF8);
        await context.Response.Body.FlushAsync();
    }
}
