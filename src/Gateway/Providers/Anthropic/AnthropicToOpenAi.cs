using System.Buffers;
using System.Text.Json;

namespace Odock.Gateway.Providers.Anthropic;

/// <summary>
/// Turns Anthropic answers into OpenAI chat format for non-Anthropic clients: a message into a completion, and each
/// stream event into the chunk it means (text deltas, tool-call starts and argument pieces, the finish reason, and a
/// final usage-only chunk). Anthropic counts cache reads apart from input tokens; OpenAI counts them inside prompt tokens.
/// </summary>
internal sealed class AnthropicToOpenAi(string model, string id, long created)
{
    private int _toolCalls = -1;
    private long _input;
    private long _cacheRead;
    private long _cacheWrite;
    private long _output;

    public static string FinishReason(string? stopReason) => stopReason switch
    {
        "max_tokens" => "length",
        "tool_use" => "tool_calls",
        _ => "stop",
    };

    public ReadOnlyMemory<byte> Completion(JsonElement message) => Json(writer =>
    {
        ReadUsage(message.TryGetProperty("usage", out var usage) ? usage : default);
        writer.WriteStartObject();
        Header(writer, "chat.completion");
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        var text = string.Concat(Blocks(message, "text").Select(b => b.GetProperty("text").GetString()));
        if (text.Length > 0)
        {
            writer.WriteString("content", text);
        }
        else
        {
            writer.WriteNull("content");
        }

        var tools = Blocks(message, "tool_use").ToArray();
        if (tools.Length > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var tool in tools)
            {
                writer.WriteStartObject();
                writer.WriteString("id", tool.GetProperty("id").GetString());
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", tool.GetProperty("name").GetString());
                writer.WriteString("arguments", tool.TryGetProperty("input", out var input) ? input.GetRawText() : "{}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
        writer.WriteString("finish_reason", FinishReason(message.TryGetProperty("stop_reason", out var stop) ? stop.GetString() : null));
        writer.WriteEndObject();
        writer.WriteEndArray();
        Usage(writer);
        writer.WriteEndObject();
    });

    /// <summary>The OpenAI chunks one Anthropic event stands for (none for pings and block stops).</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Chunks(JsonElement streamEvent)
    {
        switch (streamEvent.TryGetProperty("type", out var type) ? type.GetString() : null)
        {
            case "message_start":
                ReadUsage(streamEvent.TryGetProperty("message", out var message) && message.TryGetProperty("usage", out var start) ? start : default);
                yield return Delta(writer => writer.WriteString("role", "assistant"), null);
                break;
            case "content_block_start" when streamEvent.GetProperty("content_block") is { } block && block.GetProperty("type").GetString() == "tool_use":
                _toolCalls++;
                yield return Delta(writer => ToolCall(writer, block.GetProperty("id").GetString(), block.GetProperty("name").GetString(), ""), null);
                break;
            case "content_block_delta":
                var delta = streamEvent.GetProperty("delta");
                if (delta.TryGetProperty("text", out var text))
                {
                    var piece = text.GetString();
                    yield return Delta(writer => writer.WriteString("content", piece), null);
                }
                else if (delta.TryGetProperty("partial_json", out var partial))
                {
                    var json = partial.GetString();
                    yield return Delta(writer => ToolCall(writer, null, null, json), null);
                }

                break;
            case "message_delta":
                ReadUsage(streamEvent.TryGetProperty("usage", out var usage) ? usage : default);
                var reason = FinishReason(streamEvent.TryGetProperty("delta", out var d) && d.TryGetProperty("stop_reason", out var s) ? s.GetString() : null);
                yield return Delta(_ => { }, reason);
                break;
            case "message_stop":
                yield return Json(writer =>
                {
                    writer.WriteStartObject();
                    Header(writer, "chat.completion.chunk");
                    writer.WriteStartArray("choices");
                    writer.WriteEndArray();
                    Usage(writer);
                    writer.WriteEndObject();
                });
                break;
        }
    }

    private void ToolCall(Utf8JsonWriter writer, string? callId, string? name, string? arguments)
    {
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", Math.Max(0, _toolCalls));
        if (callId is not null)
        {
            writer.WriteString("id", callId);
            writer.WriteString("type", "function");
        }

        writer.WriteStartObject("function");
        if (name is not null)
        {
            writer.WriteString("name", name);
        }

        writer.WriteString("arguments", arguments ?? "");
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
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
        writer.WriteNumber("prompt_tokens", _input + _cacheRead + _cacheWrite);
        writer.WriteNumber("completion_tokens", _output);
        writer.WriteNumber("total_tokens", _input + _cacheRead + _cacheWrite + _output);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", _cacheRead);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        _input = Read(usage, "input_tokens", _input);
        _cacheRead = Read(usage, "cache_read_input_tokens", _cacheRead);
        _cacheWrite = Read(usage, "cache_creation_input_tokens", _cacheWrite);
        _output = Read(usage, "output_tokens", _output);
    }

    private static long Read(JsonElement usage, string name, long previous) =>
        usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : previous;

    private static IEnumerable<JsonElement> Blocks(JsonElement message, string type) =>
        message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.Array
            ? content.EnumerateArray().Where(b => b.TryGetProperty("type", out var t) && t.GetString() == type)
            : [];

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
