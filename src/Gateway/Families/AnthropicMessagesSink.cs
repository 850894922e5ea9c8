using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>
/// Writes OpenAI-format answers as Anthropic messages. A stream becomes Anthropic's event sequence as chunks arrive:
/// <c>message_start</c>, a <c>content_block_start</c>/<c>content_block_delta</c>/<c>content_block_stop</c> run per text
/// or tool-use block, then <c>message_delta</c> (stop reason and usage) and <c>message_stop</c>.
/// </summary>
internal sealed class AnthropicMessagesSink(HttpContext context, ChatRequest request, string requestId) : IChatSink
{
    private readonly string _messageId = "msg_" + requestId.Replace("req_", "", StringComparison.Ordinal);
    private bool _started;
    private int _blockIndex = -1;
    private string? _openBlock;
    private int _openToolCall = -1;
    private string _stopReason = "end_turn";
    private (long Input, long Cached, long Output)? _usage;

    public HttpResponse Response => context.Response;

    public async Task WriteCompletionAsync(ReadOnlyMemory<byte> completion, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(completion);
        var root = document.RootElement;
        var choice = root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0 ? choices[0] : default;
        var message = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message", out var m) ? m : default;
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteString("id", _messageId);
        writer.WriteString("type", "message");
        writer.WriteString("role", "assistant");
        writer.WriteString("model", request.Model);
        writer.WriteStartArray("content");
        if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WriteString("text", text);
            writer.WriteEndObject();
        }

        if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                writer.WriteStartObject();
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", call.GetProperty("id").GetString());
                writer.WriteString("name", call.GetProperty("function").GetProperty("name").GetString());
                writer.WritePropertyName("input");
                WriteArguments(writer, call.GetProperty("function").TryGetProperty("arguments", out var arguments) ? arguments.GetString() : null);
                writer.WriteEndObject();
            }
        }

        writer.WriteEndArray();
        writer.WriteString("stop_reason", StopReason(choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("finish_reason", out var finish) ? finish.GetString() : null));
        writer.WriteNull("stop_sequence");
        WriteUsage(writer, ReadUsage(root) ?? (request.EstimatedInputTokens, 0, 0));
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        using var document = JsonDocument.Parse(chunk);
        var root = document.RootElement;
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        if (ReadUsage(root) is { } usage)
        {
            _usage = usage;
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var choice in choices.EnumerateArray())
        {
            if (choice.TryGetProperty("delta", out var delta))
            {
                if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
                {
                    await OpenBlockAsync("text", -1, null, null, cancellationToken).ConfigureAwait(false);
                    await EventAsync("content_block_delta", writer =>
                    {
                        writer.WriteNumber("index", _blockIndex);
                        writer.WriteStartObject("delta");
                        writer.WriteString("type", "text_delta");
                        writer.WriteString("text", text);
                        writer.WriteEndObject();
                    }, cancellationToken).ConfigureAwait(false);
                }

                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        await ToolCallDeltaAsync(call, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            if (choice.TryGetProperty("finish_reason", out var finish) && finish.ValueKind == JsonValueKind.String)
            {
                _stopReason = StopReason(finish.GetString());
            }
        }
    }

    public async Task EndStreamAsync(CancellationToken cancellationToken)
    {
        await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await CloseBlockAsync(cancellationToken).ConfigureAwait(false);
        await EventAsync("message_delta", writer =>
        {
            writer.WriteStartObject("delta");
            writer.WriteString("stop_reason", _stopReason);
            writer.WriteNull("stop_sequence");
            writer.WriteEndObject();
            WriteUsage(writer, _usage ?? (request.EstimatedInputTokens, 0, 0));
        }, cancellationToken).ConfigureAwait(false);
        await EventAsync("message_stop", _ => { }, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteProviderErrorAsync(int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = $"The provider refused the request with HTTP {status}.";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String)
            {
                message = text.GetString()!;
            }
        }
        catch (JsonException)
        {
        }

        await AnthropicErrorWriter.WriteAsync(context, new GatewayError(status, "upstream_client_error", message)).ConfigureAwait(false);
    }

    public Task WriteErrorAsync(GatewayError error) => AnthropicErrorWriter.WriteAsync(context, error);

    private async Task ToolCallDeltaAsync(JsonElement call, CancellationToken cancellationToken)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var function = call.TryGetProperty("function", out var f) ? f : default;
        if (index != _openToolCall || _openBlock != "tool_use")
        {
            var id = call.TryGetProperty("id", out var idValue) ? idValue.GetString() : $"toolu_{index}";
            var name = function.ValueKind == JsonValueKind.Object && function.TryGetProperty("name", out var nameValue) ? nameValue.GetString() : "";
            await OpenBlockAsync("tool_use", index, id, name, cancellationToken).ConfigureAwait(false);
        }

        if (function.ValueKind == JsonValueKind.Object && function.TryGetProperty("arguments", out var arguments) && arguments.GetString() is { Length: > 0 } partial)
        {
            await EventAsync("content_block_delta", writer =>
            {
                writer.WriteNumber("index", _blockIndex);
                writer.WriteStartObject("delta");
                writer.WriteString("type", "input_json_delta");
                writer.WriteString("partial_json", partial);
                writer.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        await EventAsync("message_start", writer =>
        {
            writer.WriteStartObject("message");
            writer.WriteString("id", _messageId);
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", request.Model);
            writer.WriteStartArray("content");
            writer.WriteEndArray();
            writer.WriteNull("stop_reason");
            writer.WriteNull("stop_sequence");
            WriteUsage(writer, (request.EstimatedInputTokens, 0, 0));
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task OpenBlockAsync(string type, int toolCall, string? id, string? name, CancellationToken cancellationToken)
    {
        if (_openBlock == type && (type == "text" || toolCall == _openToolCall))
        {
            return;
        }

        await CloseBlockAsync(cancellationToken).ConfigureAwait(false);
        _blockIndex++;
        _openBlock = type;
        _openToolCall = toolCall;
        await EventAsync("content_block_start", writer =>
        {
            writer.WriteNumber("index", _blockIndex);
            writer.WriteStartObject("content_block");
            writer.WriteString("type", type);
            if (type == "text")
            {
                writer.WriteString("text", "");
            }
            else
            {
                writer.WriteString("id", id);
                writer.WriteString("name", name);
                writer.WriteStartObject("input");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task CloseBlockAsync(CancellationToken cancellationToken)
    {
        if (_openBlock is null)
        {
            return;
        }

        _openBlock = null;
        await EventAsync("content_block_stop", writer => writer.WriteNumber("index", _blockIndex), cancellationToken).ConfigureAwait(false);
    }

    private async Task EventAsync(string name, Action<Utf8JsonWriter> body, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(System.Text.Encoding.UTF8.GetBytes($"event: {name}\ndata: "));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", name);
            body(writer);
            writer.WriteEndObject();
        }

        buffer.Write("\n\n"u8);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Anthropic counts cache reads apart from input tokens; OpenAI counts them inside prompt tokens.</summary>
    private static void WriteUsage(Utf8JsonWriter writer, (long Input, long Cached, long Output) usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.Input - usage.Cached);
        writer.WriteNumber("cache_read_input_tokens", usage.Cached);
        writer.WriteNumber("cache_creation_input_tokens", 0);
        writer.WriteNumber("output_tokens", usage.Output);
        writer.WriteEndObject();
    }

    private static (long Input, long Cached, long Output)? ReadUsage(JsonElement root)
    {
        if (!Providers.OpenAi.OpenAiUsage.TryRead(root, out var usage, out _))
        {
            return null;
        }

        return (usage.InputTokens, usage.CachedInputTokens, usage.OutputTokens);
    }

    private static void WriteArguments(Utf8JsonWriter writer, string? arguments)
    {
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
    }

    private static string StopReason(string? finishReason) => finishReason switch
    {
        "length" => "max_tokens",
        "tool_calls" or "function_call" => "tool_use",
        _ => "end_turn",
    };
}
