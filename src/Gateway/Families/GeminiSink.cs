using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers.OpenAi;

namespace Odock.Gateway.Families;

/// <summary>
/// Writes OpenAI-format answers as Gemini <c>GenerateContentResponse</c>s. A stream becomes one response per text delta,
/// as chunks arrive, framed as the client asked (<see cref="GeminiStreamFraming"/>). Gemini sends each function call
/// whole, where OpenAI streams its arguments in pieces, so tool calls are gathered and sent in the last response, with
/// the finish reason and the usage. Each OpenAI choice is the candidate of its index, so a <c>candidateCount</c> sent
/// on as <c>n</c> gets every answer.
/// </summary>
internal sealed class GeminiSink(HttpContext context, ChatRequest request, string requestId) : IChatSink
{
    /// <summary>Streamed tool calls by choice and by their index within it.</summary>
    private readonly SortedDictionary<(int Choice, int Call), ToolCall> _toolCalls = [];

    /// <summary>Every choice a stream has shown, with its finish reason once it came.</summary>
    private readonly SortedDictionary<int, string?> _finishReasons = [];
    private readonly GeminiStreamFraming _framing = GeminiStreamFraming.For(context.Request);
    private TokenUsage? _usage;

    public HttpResponse Response => context.Response;

    public async Task WriteCompletionAsync(ReadOnlyMemory<byte> completion, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(completion);
        var root = document.RootElement;
        var candidates = new List<(int Index, Action<Utf8JsonWriter> Parts, string? Finish)>();
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            var place = 0;
            foreach (var choice in choices.EnumerateArray())
            {
                var index = ChatRequest.AnswerIndex(choice, place++);
                var message = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message", out var m) ? m : default;
                var finish = Str(choice, "finish_reason");
                candidates.Add((index, parts => WriteMessage(parts, message), FinishReason(finish)));
            }
        }

        if (candidates.Count == 0)
        {
            candidates.Add((0, _ => { }, FinishReason(null)));
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        WriteResponse(writer, candidates, Usage(root) ?? Estimate());
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = _framing.ContentType;
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(chunk);
        var root = document.RootElement;
        _usage = Usage(root) ?? _usage;
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var choice in choices.EnumerateArray())
        {
            var index = ChatRequest.AnswerIndex(choice, 0);
            _finishReasons.TryAdd(index, null);
            if (choice.TryGetProperty("delta", out var delta))
            {
                if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
                {
                    await EventAsync(writer => WriteResponse(writer, [(index, parts => WriteText(parts, text), null)], null), cancellationToken).ConfigureAwait(false);
                }

                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        Gather(index, call);
                    }
                }
            }

            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
            {
                _finishReasons[index] = finish.GetString();
            }
        }
    }

    public async Task EndStreamAsync(CancellationToken cancellationToken)
    {
        _finishReasons.TryAdd(0, null);
        var candidates = _finishReasons.Select(choice => (choice.Key, (Action<Utf8JsonWriter>)(parts =>
        {
            var calls = _toolCalls.Where(call => call.Key.Choice == choice.Key).Select(call => call.Value).ToArray();
            if (calls.Length == 0)
            {
                WriteText(parts, "");
            }

            foreach (var call in calls)
            {
                WriteFunctionCall(parts, call.Id, call.Name ?? "", call.Arguments.ToString());
            }
        }), (string?)FinishReason(choice.Value))).ToList();
        await EventAsync(writer => WriteResponse(writer, candidates, _usage ?? Estimate()), cancellationToken).ConfigureAwait(false);
        await _framing.EndAsync(context.Response, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteProviderErrorAsync(int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = $"The provider refused the request with HTTP {status}.";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                message = text.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        await GeminiErrorWriter.WriteAsync(context, new GatewayError(status, "upstream_client_error", message)).ConfigureAwait(false);
    }

    public Task WriteErrorAsync(GatewayError error) => GeminiErrorWriter.WriteAsync(context, error);

    /// <summary>OpenAI finish reasons as Gemini's: a turn that calls functions stops normally in Gemini's terms.</summary>
    public static string FinishReason(string? openAi) => openAi switch
    {
        "length" => "MAX_TOKENS",
        "content_filter" => "SAFETY",
        _ => "STOP",
    };

    private static void WriteMessage(Utf8JsonWriter parts, JsonElement message)
    {
        if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
        {
            WriteText(parts, content.GetString()!);
        }

        if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.GetProperty("function");
                WriteFunctionCall(parts, Str(call, "id"), Str(function, "name") ?? "", Str(function, "arguments"));
            }
        }
    }

    private void Gather(int choice, JsonElement call)
    {
        var index = (choice, call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0);
        if (!_toolCalls.TryGetValue(index, out var gathered))
        {
            _toolCalls[index] = gathered = new ToolCall();
        }

        gathered.Id ??= Str(call, "id");
        if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
        {
            gathered.Name ??= Str(function, "name");
            gathered.Arguments.Append(Str(function, "arguments"));
        }
    }

    private void WriteResponse(Utf8JsonWriter writer, IEnumerable<(int Index, Action<Utf8JsonWriter> Parts, string? Finish)> candidates, TokenUsage? usage)
    {
        writer.WriteStartObject();
        writer.WriteStartArray("candidates");
        foreach (var (index, parts, finishReason) in candidates)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("content");
            writer.WriteStartArray("parts");
            parts(writer);
            writer.WriteEndArray();
            writer.WriteString("role", "model");
            writer.WriteEndObject();
            if (finishReason is not null)
            {
                writer.WriteString("finishReason", finishReason);
            }

            writer.WriteNumber("index", index);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (usage is { } tokens)
        {
            WriteUsage(writer, tokens);
        }

        writer.WriteString("modelVersion", request.Model);
        writer.WriteString("responseId", requestId);
        writer.WriteEndObject();
    }

    private async Task EventAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        await _framing.WriteAsync(context.Response, buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private TokenUsage Estimate() => new() { InputTokens = request.EstimatedInputTokens };

    /// <summary>Gemini counts thoughts apart from candidates; OpenAI counts reasoning inside completion tokens.</summary>
    private static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usageMetadata");
        writer.WriteNumber("promptTokenCount", usage.InputTokens);
        writer.WriteNumber("candidatesTokenCount", usage.OutputTokens - usage.ReasoningTokens);
        writer.WriteNumber("totalTokenCount", usage.TotalTokens);
        if (usage.CachedInputTokens > 0)
        {
            writer.WriteNumber("cachedContentTokenCount", usage.CachedInputTokens);
        }

        if (usage.ReasoningTokens > 0)
        {
            writer.WriteNumber("thoughtsTokenCount", usage.ReasoningTokens);
        }

        writer.WriteEndObject();
    }

    private static TokenUsage? Usage(JsonElement root) => OpenAiUsage.TryRead(root, out var usage, out _) ? usage : null;

    private static void WriteText(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("text", text);
        writer.WriteEndObject();
    }

    private static void WriteFunctionCall(Utf8JsonWriter writer, string? id, string name, string? arguments)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("functionCall");
        if (id is not null)
        {
            writer.WriteString("id", id);
        }

        writer.WriteString("name", name);
        writer.WritePropertyName("args");
        try
        {
            using var parsed = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            parsed.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStartObject();
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>A streamed tool call as its pieces arrive.</summary>
    private sealed class ToolCall
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
