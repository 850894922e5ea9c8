using System.Buffers;
using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.Gemini;

/// <summary>
/// Turns Gemini answers into OpenAI chat format for non-Gemini clients: a <c>GenerateContentResponse</c> into a
/// completion, and each streamed one into the chunks it means (text deltas, whole function calls, the finish reason).
/// Each candidate is one choice, by its index, so an OpenAI client's <c>n</c> (sent as <c>candidateCount</c>) gets
/// every answer.
/// Gemini's stream has no closing event, so <see cref="Finish"/> gives the final usage-only chunk once it ends. Thought
/// parts are the model's own reasoning and are not shown; their tokens are counted.
/// </summary>
internal sealed class GeminiToOpenAi(string model, string id, long created)
{
    /// <summary>What a stream has shown of each candidate, by its index.</summary>
    private readonly List<CandidateState> _candidates = [];
    private TokenUsage _usage;

    public ReadOnlyMemory<byte> Completion(JsonElement response) => Json(writer =>
    {
        ReadUsage(response);
        writer.WriteStartObject();
        Header(writer, "chat.completion");
        writer.WriteStartArray("choices");
        var any = false;
        foreach (var (index, candidate) in Candidates(response))
        {
            WriteChoice(writer, response, index, candidate);
            any = true;
        }

        if (!any)
        {
            // No candidate (a prompt Gemini's filters blocked): one empty choice that says why it ended.
            WriteChoice(writer, response, 0, default);
        }

        writer.WriteEndArray();
        Usage(writer);
        writer.WriteEndObject();
    });

    /// <summary>The OpenAI chunks one streamed Gemini response stands for: each candidate's under its own index.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks(JsonElement response)
    {
        ReadUsage(response);
        var candidates = Candidates(response).ToArray();
        if (candidates.Length == 0)
        {
            // A prompt blocked before any candidate: the first choice ends there.
            if (FinishReason(response, default, false) is { } blocked)
            {
                foreach (var chunk in Start(0))
                {
                    yield return chunk;
                }

                State(0).Finished = true;
                yield return Delta(0, _ => { }, blocked);
            }

            yield break;
        }

        foreach (var (index, candidate) in candidates)
        {
            foreach (var chunk in Start(index))
            {
                yield return chunk;
            }

            foreach (var part in Parts(candidate))
            {
                if (IsText(part) && part.GetProperty("text").GetString() is { Length: > 0 } piece)
                {
                    yield return Delta(index, writer => writer.WriteString("content", piece), null);
                }
                else if (part.TryGetProperty("functionCall", out var call))
                {
                    var number = ++State(index).ToolCalls;
                    yield return Delta(index, writer =>
                    {
                        writer.WriteStartArray("tool_calls");
                        ToolCall(writer, call, number);
                        writer.WriteEndArray();
                    }, null);
                }
            }

            if (FinishReason(response, candidate, State(index).ToolCalls >= 0) is { } reason)
            {
                State(index).Finished = true;
                yield return Delta(index, _ => { }, reason);
            }
        }
    }

    /// <summary>After the last streamed response: the finish chunk of every candidate that had none, and the usage-only chunk.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Finish()
    {
        if (_candidates.Count == 0)
        {
            foreach (var chunk in Start(0))
            {
                yield return chunk;
            }
        }

        for (var index = 0; index < _candidates.Count; index++)
        {
            if (_candidates[index] is { Started: true, Finished: false } state)
            {
                yield return Delta(index, _ => { }, state.ToolCalls >= 0 ? "tool_calls" : "stop");
            }
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

    private static void WriteChoice(Utf8JsonWriter writer, JsonElement response, int index, JsonElement candidate)
    {
        var parts = Parts(candidate).ToArray();
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
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
            for (var i = 0; i < calls.Length; i++)
            {
                ToolCall(writer, calls[i].GetProperty("functionCall"), i);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteString("finish_reason", FinishReason(response, candidate, calls.Length > 0) ?? "stop");
        writer.WriteEndObject();
    }

    /// <summary>The role chunk the first time a candidate appears.</summary>
    private IEnumerable<ReadOnlyMemory<byte>> Start(int index)
    {
        var state = State(index);
        if (!state.Started)
        {
            state.Started = true;
            yield return Delta(index, writer => writer.WriteString("role", "assistant"), null);
        }
    }

    /// <summary>The candidate's state, made (with those of lower indexes) the first time it is asked for.</summary>
    private CandidateState State(int index)
    {
        while (_candidates.Count <= index)
        {
            _candidates.Add(new CandidateState());
        }

        return _candidates[index];
    }

    /// <summary>
    /// Gemini finishes a turn that calls functions with <c>STOP</c>; OpenAI clients expect <c>tool_calls</c>. Null
    /// while the candidate is still going. Without a candidate, a prompt blocked by Gemini's filters.
    /// </summary>
    private static string? FinishReason(JsonElement response, JsonElement candidate, bool calledTools)
    {
        if (candidate.ValueKind != JsonValueKind.Object)
        {
            return response.ValueKind == JsonValueKind.Object && response.TryGetProperty("promptFeedback", out var feedback) && feedback.TryGetProperty("blockReason", out _) ? "content_filter" : null;
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

    private static void ToolCall(Utf8JsonWriter writer, JsonElement call, int number)
    {
        writer.WriteStartObject();
        writer.WriteNumber("index", number);
        writer.WriteString("id", call.TryGetProperty("id", out var callId) && callId.ValueKind == JsonValueKind.String ? callId.GetString() : $"call_{number}");
        writer.WriteString("type", "function");
        writer.WriteStartObject("function");
        writer.WriteString("name", call.TryGetProperty("name", out var name) ? name.GetString() : "");
        writer.WriteString("arguments", call.TryGetProperty("args", out var args) && args.ValueKind == JsonValueKind.Object ? args.GetRawText() : "{}");
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private ReadOnlyMemory<byte> Delta(int index, Action<Utf8JsonWriter> delta, string? finishReason) => Json(writer =>
    {
        writer.WriteStartObject();
        Header(writer, "chat.completion.chunk");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", index);
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

    /// <summary>Each candidate with its index (Gemini's own <c>index</c>, else its place), bounded by <see cref="Chat.ChatRequest.MaxChoices"/>.</summary>
    private static IEnumerable<(int Index, JsonElement Candidate)> Candidates(JsonElement response)
    {
        if (!response.TryGetProperty("candidates", out var candidates) || candidates.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        var place = 0;
        foreach (var candidate in candidates.EnumerateArray())
        {
            var index = Chat.ChatRequest.AnswerIndex(candidate, place++);
            if (candidate.ValueKind == JsonValueKind.Object && index < Chat.ChatRequest.MaxChoices)
            {
                yield return (index, candidate);
            }
        }
    }

    private static IEnumerable<JsonElement> Parts(JsonElement candidate) =>
        candidate.ValueKind == JsonValueKind.Object && candidate.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Object
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

    /// <summary>What a stream has shown of one candidate: its tool calls so far (-1 for none), its start and its finish.</summary>
    private sealed class CandidateState
    {
        public int ToolCalls { get; set; } = -1;

        public bool Started { get; set; }

        public bool Finished { get; set; }
    }
}
