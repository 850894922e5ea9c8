using System.Buffers;
using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.Gemini;

/// <summary>
/// Turns Gemini answers into OpenAI chat format for non-Gemini clients: a <c>GenerateContentResponse</c> into a
/// completion, and each streamed one into the chunks it means (text deltas, whole function calls, the finish reason).
/// Gemini's stream has no closing event, so <see cref="Finish"/> gives the final usage-only chunk once it ends. Thought
/// parts are the model's own reasoning and are not shown; their tokens are counted.
/// </summary>
internal sealed class GeminiToOpenAi(string model, string id, long created)
{
    private int _toolCalls = -1;
    private bool _started;
    private bool _finished;
    private TokenUsage _usage;

    public ReadOnlyMemory<byte> Completion(JsonElement response) => Json(writer =>
    {
        ReadUsage(response);
        var parts = Parts(response).ToArray();
        writer.WriteStartObject();
        Header(writer, "chat.completion");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        var text = string.Concat(parts.Where(IsText).Select(p => p.GetProperty("text").GetString()));
        if (text.Length > 0)
        {
            writer.WriteString("content", text);
        }
        else
        {
            writer.WriteNull("content");
        }

        var calls = parts.Where(p => p.TryGetProperty("functionCall", out _)).ToArray();
        if (calls.Length > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                _toolCalls++;
                ToolCall(writer, call.GetProperty("functionCall"));
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteString("finish_reason", FinishReason(response, calls.Length > 0) ?? "stop");
        writer.WriteEndObject();
        writer.WriteEndArray();
        Usage(writer);
        writer.WriteEndObject();
    });

    /// <summary>The OpenAI chunks one streamed Gemini response stands for.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks(JsonElement response)
    {
        ReadUsage(response);
        if (!_started)
        {
            _started = true;
            yield return Delta(writer => writer.WriteString("role", "assistant"), null);
        }

        foreach (var part in Parts(response))
        {
            if (IsText(part) && part.GetProperty("text").GetString() is { Length: > 0 } piece)
            {
                yield return Delta(writer => writer.WriteString("content", piece), null);
            }
            else if (part.TryGetProperty("functionCall", out var call))
            {
                _toolCalls++;
                yield return Delta(writer =>
                {
                    writer.WriteStartArray("tool_calls");
                    ToolCall(writer, call);
                    writer.WriteEndArray();
                }, null);
            }
        }

        if (FinishReason(response, _toolCalls >= 0) is { } reason)
        {
            _finished = true;
            yield return Delta(_ => { }, reason);
        }
    }

    /// <summary>After the last streamed response: the finish chunk if none came, and the usage-only chunk.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Finish()
    {
        if (!_finished)
        {
            yield return Delta(_ => { }, _toolCalls >= 0 ? "tool_calls" : "stop");
        }

        yield return Json(writer =>
        {
            writer.WriteStartObject();
            Header(writer, "chat.completion.chunk");
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            Usage(writer);
            writer.WriteEndObject();
        });
    }

    /// <summary>
    /// Gemini finishes a turn that calls functions with <c>STOP</c>; OpenAI clients expect <c>tool_calls</c>. Null
    /// while the candidate is still going.
    /// </summary>
    private static string? FinishReason(JsonElement response, bool calledTools)
    {
        var candidate = Candidate(response);
        if (candidate.ValueKind != JsonValueKind.Object)
        {
            return response.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out _) ? "content_filter" : null;
        }

        if (!candidate.TryGetProperty("finishReason", out var finish) || finish.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return finish.GetString() switch
        {
            "MAX_TOKENS" => "length",
            "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" => "content_filter",
            _ => calledTools ? "tool_calls" : "stop",
        };
    }

    private void ToolCall(Utf8JsonWriter writer, JsonElement call)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", _toolCalls);
        writer.WriteString("id", call.TryGetProperty("id", out var callId) && callId.ValueKind == JsonValueKind.String ? callId.GetString() : $"call_{_toolCalls}");
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", call.TryGetProperty("name", out var name) ? name.GetString() : "");
        writer.WriteString("arguments", call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? args.GetRawText() : "{}");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private ReadOnlyMemory<byte> Delta(Action<Utf8JsonWriter> delta, string? finishReason) => Json(writer =>
    {
        writer.WriteStartObject();
        Header(writer, "chat.completion.chunk");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        delta(writer);
        writer.WriteEndObject();
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private void Header(Utf8JsonWriter writer, string kind)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", kind);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
    }

    private void Usage(Utf8JsonWriter writer)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", _usage.InputTokens);
        writer.WriteNumber("completion_tokens", _usage.OutputTokens);
        writer.WriteNumber("total_tokens", _usage.TotalTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", _usage.CachedInputTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", _usage.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void ReadUsage(JsonElement response)
    {
        if (response.TryGetProperty("usageMetadata", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            _usage = GeminiUsage.Read(usage);
        }
    }

    private static JsonElement Candidate(JsonElement response) =>
        response.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array && candidates.GetArrayLength() > 0 ? candidates[0] : default;

    private static IEnumerable<JsonElement> Parts(JsonElement response) =>
        Candidate(response) is { ValueKind: JsonValueKind.Object } candidate && candidate.TryGetProperty("content", out var content)
            && content.TryGetProperty("parts", out var parts) && parts.ValueKind == JsonValueKind.Array
            ? parts.EnumerateArray()
            : [];

    private static bool IsText(JsonElement part) =>
        part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String
        && !(part.TryGetProperty("thought", out var thought) && thought.ValueKind == JsonValueKind.True);

    private static ReadOnlyMemory<byte> Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }
}
