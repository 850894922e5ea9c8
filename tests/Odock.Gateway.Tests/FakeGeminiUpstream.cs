using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Odock.Testing;

namespace Odock.Gateway.Tests;

/// <summary>
/// The Gemini API on a loopback port: <c>generateContent</c> and <c>streamGenerateContent?alt=sse</c> with
/// <c>usageMetadata</c> (running totals in every streamed response, as Google sends them), Google's error shape when
/// told to fail, and what it received.
/// </summary>
internal sealed class FakeGeminiUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeGeminiUpstream(WebApplication app) => _app = app;

    public ConcurrentQueue<(string Path, JsonObject Body, IHeaderDictionary Headers)> Received { get; } = new();

    /// <summary>When set, every call answers with this status and a Google error body.</summary>
    public int? FailWith { get; set; }

    /// <summary>Answer as Gemini does a prompt its filters block: no candidate, a <c>promptFeedback.blockReason</c>.</summary>
    public bool BlockPrompt { get; set; }

    /// <summary>Answer with a call of this function instead of text.</summary>
    public string? CallFunction { get; set; }

    /// <summary>Google Search queries a text answer ran: each candidate's <c>groundingMetadata.webSearchQueries</c> (a stream's last chunk).</summary>
    public IReadOnlyList<string> SearchQueries { get; set; } = [];

    public string BaseUrl => LoopbackApp.Address(_app);

    public static async Task<FakeGeminiUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new FakeGeminiUpstream(app);
        app.MapPost("/v1beta/models/{**modelAndMethod}", upstream.HandleAsync);
        await app.StartAsync();
        return upstream;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(context.Request.Body))!;
        Received.Enqueue((context.Request.Path + context.Request.QueryString, body, new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value))));
        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = new { code = status, message = "gemini says no", status = "INVALID_ARGUMENT" } });
            return;
        }

        var slug = context.Request.Path.Value!["/v1beta/models/".Length..].Split(':')[0];
        var candidates = body["generationConfig"]?["candidateCount"]?.GetValue<int>() ?? 1;
        if (BlockPrompt)
        {
            var blocked = JsonSerializer.Serialize(new { promptFeedback = new { blockReason = "SAFETY" }, usageMetadata = new { promptTokenCount = 25, totalTokenCount = 25 }, modelVersion = slug });
            var streamed = context.Request.Path.Value!.EndsWith(":streamGenerateContent", StringComparison.Ordinal);
            context.Response.ContentType = streamed ? "text/event-stream" : "application/json";
            await context.Response.WriteAsync(streamed ? "data: " + blocked + "\r\n\r\n" : blocked, Encoding.UTF8);
            return;
        }

        if (CallFunction is { } function)
        {
            await context.Response.WriteAsJsonAsync(Response(
                new object[] { new { functionCall = new { name = function, args = new { city = "Paris" } } } }, "STOP", new { promptTokenCount = 25, candidatesTokenCount = 7, totalTokenCount = 32 }, slug, candidates));
            return;
        }

        if (!context.Request.Path.Value!.EndsWith(":streamGenerateContent", StringComparison.Ordinal))
        {
            await context.Response.WriteAsJsonAsync(Response(
                new object[] { new { text = "Hallo from Gemini" } }, "STOP",
                new { promptTokenCount = 25, candidatesTokenCount = 5, totalTokenCount = 38, cachedContentTokenCount = 8, thoughtsTokenCount = 8 }, slug, candidates, SearchQueries));
            return;
        }

        context.Response.ContentType = "text/event-stream";
        var pieces = new[] { "Hallo", " from", " Gemini" };
        for (var i = 0; i < pieces.Length; i++)
        {
            var last = i == pieces.Length - 1;
            var usage = new { promptTokenCount = 25, candidatesTokenCount = last ? 6 : i + 1, thoughtsTokenCount = 2, totalTokenCount = 25 + 2 + (last ? 6 : i + 1) };
            await context.Response.WriteAsync("data: " + JsonSerializer.Serialize(Response(new object[] { new { text = pieces[i] } }, last ? "STOP" : null, usage, slug, candidates, last ? SearchQueries : [])) + "\r\n\r\n", Encoding.UTF8);
            await context.Response.Body.FlushAsync();
        }
    }

    /// <summary>A response with <paramref name="candidates"/> candidates (<c>candidateCount</c>), each with the same parts.</summary>
    private static object Response(object[] parts, string? finishReason, object usage, string slug, int candidates = 1, IReadOnlyList<string>? searchQueries = null) => new Dictionary<string, object?>
    {
        ["candidates"] = Enumerable.Range(0, candidates).Select(index =>
        {
            var candidate = new Dictionary<string, object?> { ["content"] = new { parts, role = "model" }, ["index"] = index };
            if (finishReason is not null)
            {
                candidate["finishReason"] = finishReason;
            }

            if (searchQueries is { Count: > 0 })
            {
                candidate["groundingMetadata"] = new { webSearchQueries = searchQueries };
            }

            return candidate;
        }).ToArray(),
        ["usageMetadata"] = usage,
        ["modelVersion"] = slug,
        ["responseId"] = "resp_fake",
    };
}
