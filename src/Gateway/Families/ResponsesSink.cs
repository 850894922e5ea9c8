using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers.OpenAi;

namespace Odock.Gateway.Families;

/// <summary>
/// Writes OpenAI-format chat answers as Responses API objects for models that do not speak it: a completion becomes a
/// <c>response</c> with <c>message</c> and <c>function_call</c> output items, and a stream becomes the typed event
/// sequence, translated chunk by chunk as it arrives (<c>response.created</c>, <c>response.in_progress</c>, item and
/// content-part openings, text and argument deltas, their closings, then <c>response.completed</c> with the usage, or
/// <c>response.incomplete</c> when the output limit cut it). Every event carries a <c>sequence_number</c>.
/// </summary>
internal sealed class ResponsesSink(HttpContext context, ChatRequest request, string requestId, TimeProvider time) : IChatSink
{
    private readonly List<OutputItem> _items = [];
    private readonly Dictionary<int, OutputItem> _callsByIndex = [];
    private readonly long _createdAt = time.GetUtcNow().ToUnixTimeSeconds();
    private OutputItem? _open;
    private long _sequence;
    private string? _finishReason;
    private TokenUsage? _usage;

    public HttpResponse Response => context.Response;

    private string ResponseId => "resp_" + requestId["req_".Length..];

    public async Task WriteCompletionAsync(ReadOnlyMemory<byte> completion, CancellationToken cancellationToken)
    {
        using (var document = JsonDocument.Parse(completion))
        {
            var root = document.RootElement;
            _usage = Usage(root);
            var choice = root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0 ? choices[0] : default;
            if (choice.ValueKind == JsonValueKind.Object)
            {
                _finishReason = Str(choice, "finish_reason");
                if (choice.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
                {
                    ReadMessage(message);
                }
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteResponse(writer, Status(), null);
        }

        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
        await EventAsync("response.created", writer => WriteResponseProperty(writer, "in_progress", null), cancellationToken).ConfigureAwait(false);
        await EventAsync("response.in_progress", writer => WriteResponseProperty(writer, "in_progress", null), cancellationToken).ConfigureAwait(false);
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
            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                if (Str(delta, "content") is { Length: > 0 } text)
                {
                    await TextDeltaAsync(text, cancellationToken).ConfigureAwait(false);
                }

                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        await ToolCallDeltaAsync(call, cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            _finishReason = Str(choice, "finish_reason") ?? _finishReason;
        }
    }

    public async Task EndStreamAsync(CancellationToken cancellationToken)
    {
        await CloseOpenItemAsync(cancellationToken).ConfigureAwait(false);
        var status = Status();
        var type = status == "completed" ? "response.completed" : "response.incomplete";
        await EventAsync(type, writer => WriteResponseProperty(writer, status, null), cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteProviderErrorAsync(int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (context.Response.HasStarted)
        {
            await WriteErrorAsync(new GatewayError(status, "upstream_client_error", $"The provider refused the request with HTTP {status}.")).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Before the stream started, OpenAI's error answer; after, a <c>response.failed</c> event closing the stream.</summary>
    public Task WriteErrorAsync(GatewayError error) => context.Response.HasStarted
        ? EventAsync("response.failed", writer => WriteResponseProperty(writer, "failed", error), CancellationToken.None)
        : OpenAiErrorWriter.WriteAsync(context, error);

    private async Task TextDeltaAsync(string text, CancellationToken cancellationToken)
    {
        if (_open is not { IsMessage: true })
        {
            await CloseOpenItemAsync(cancellationToken).ConfigureAwait(false);
            var item = Open(new OutputItem(true, $"msg_{requestId["req_".Length..]}_{_items.Count}"));
            await EventAsync("response.output_item.added", writer => WriteItemEvent(writer, item), cancellationToken).ConfigureAwait(false);
            await EventAsync("response.content_part.added", writer =>
            {
                WriteContentRef(writer, item);
                writer.WritePropertyName("part");
                WriteTextPart(writer, "");
            }, cancellationToken).ConfigureAwait(false);
        }

        _open!.Text.Append(text);
        await EventAsync("response.output_text.delta", writer =>
        {
            WriteContentRef(writer, _open);
            writer.WriteString("delta", text);
            writer.WriteStartArray("logprobs");
            writer.WriteEndArray();
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task ToolCallDeltaAsync(JsonElement call, CancellationToken cancellationToken)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
        var function = call.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        if (!_callsByIndex.TryGetValue(index, out var item))
        {
            await CloseOpenItemAsync(cancellationToken).ConfigureAwait(false);
            item = Open(new OutputItem(false, $"fc_{requestId["req_".Length..]}_{_items.Count}")
            {
                CallId = Str(call, "id") ?? $"call_{index}",
                Name = Str(function, "name") ?? "",
            });
            _callsByIndex[index] = item;
            await EventAsync("response.output_item.added", writer => WriteItemEvent(writer, item), cancellationToken).ConfigureAwait(false);
        }

        if (Str(function, "arguments") is { Length: > 0 } piece)
        {
            item.Arguments.Append(piece);
            await EventAsync("response.function_call_arguments.delta", writer =>
            {
                writer.WriteString("item_id", item.Id);
                writer.WriteNumber("output_index", _items.IndexOf(item));
                writer.WriteString("delta", piece);
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private OutputItem Open(OutputItem item)
    {
        _items.Add(item);
        _open = item;
        return item;
    }

    private async Task CloseOpenItemAsync(CancellationToken cancellationToken)
    {
        if (_open is not { } item)
        {
            return;
        }

        _open = null;
        item.Done = true;
        if (item.IsMessage)
        {
            var text = item.Text.ToString();
            await EventAsync("response.output_text.done", writer =>
            {
                WriteContentRef(writer, item);
                writer.WriteString("text", text);
                writer.WriteStartArray("logprobs");
                writer.WriteEndArray();
            }, cancellationToken).ConfigureAwait(false);
            await EventAsync("response.content_part.done", writer =>
            {
                WriteContentRef(writer, item);
                writer.WritePropertyName("part");
                WriteTextPart(writer, text);
            }, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await EventAsync("response.function_call_arguments.done", writer =>
            {
                writer.WriteString("item_id", item.Id);
                writer.WriteNumber("output_index", _items.IndexOf(item));
                writer.WriteString("name", item.Name);
                writer.WriteString("arguments", item.Arguments.ToString());
            }, cancellationToken).ConfigureAwait(false);
        }

        await EventAsync("response.output_item.done", writer => WriteItemEvent(writer, item), cancellationToken).ConfigureAwait(false);
    }

    private void ReadMessage(JsonElement message)
    {
        if (Str(message, "content") is { Length: > 0 } text)
        {
            var item = new OutputItem(true, $"msg_{requestId["req_".Length..]}_0") { Done = true };
            item.Text.Append(text);
            _items.Add(item);
        }

        if (message.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
        {
            foreach (var call in calls.EnumerateArray())
            {
                var function = call.TryGetProperty("function", out var f) ? f : default;
                var item = new OutputItem(false, $"fc_{requestId["req_".Length..]}_{_items.Count}")
                {
                    CallId = Str(call, "id") ?? $"call_{_items.Count}",
                    Name = Str(function, "name") ?? "",
                    Done = true,
                };
                item.Arguments.Append(Str(function, "arguments") ?? "{}");
                _items.Add(item);
            }
        }
    }

    private string Status() => _finishReason is "length" or "content_filter" ? "incomplete" : "completed";

    private void WriteItemEvent(Utf8JsonWriter writer, OutputItem item)
    {
        writer.WriteNumber("output_index", _items.IndexOf(item));
        writer.WritePropertyName("item");
        WriteItem(writer, item);
    }

    private void WriteContentRef(Utf8JsonWriter writer, OutputItem item)
    {
        writer.WriteString("item_id", item.Id);
        writer.WriteNumber("output_index", _items.IndexOf(item));
        writer.WriteNumber("content_index", 0);
    }

    /// <summary>An output item; the last one of an answer cut short (by the output limit or a filter) is <c>incomplete</c>, as OpenAI marks it.</summary>
    private void WriteItem(Utf8JsonWriter writer, OutputItem item)
    {
        writer.WriteStartObject();
        writer.WriteString("id", item.Id);
        writer.WriteString("status", !item.Done ? "in_progress" : ReferenceEquals(item, _items[^1]) && Status() == "incomplete" ? "incomplete" : "completed");
        if (item.IsMessage)
        {
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteStartArray("content");
            if (item.Done)
            {
                WriteTextPart(writer, item.Text.ToString());
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteString("type", "function_call");
            writer.WriteString("call_id", item.CallId);
            writer.WriteString("name", item.Name);
            writer.WriteString("arguments", item.Done ? item.Arguments.ToString() : "");
        }

        writer.WriteEndObject();
    }

    private static void WriteTextPart(Utf8JsonWriter writer, string text)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "output_text");
        writer.WriteString("text", text);
        writer.WriteStartArray("annotations");
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private void WriteResponseProperty(Utf8JsonWriter writer, string status, GatewayError? error)
    {
        writer.WritePropertyName("response");
        WriteResponse(writer, status, error);
    }

    /// <summary>The Response object; the request's own settings are echoed back, as OpenAI does.</summary>
    private void WriteResponse(Utf8JsonWriter writer, string status, GatewayError? error)
    {
        var native = request.NativeBody ?? new JsonObject();
        writer.WriteStartObject();
        writer.WriteString("id", ResponseId);
        writer.WriteString("object", "response");
        writer.WriteNumber("created_at", _createdAt);
        writer.WriteString("status", status);
        WriteError(writer, error);
        if (status == "incomplete")
        {
            writer.WriteStartObject("incomplete_details");
            writer.WriteString("reason", _finishReason == "length" ? "max_output_tokens" : "content_filter");
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("incomplete_details");
        }

        Echo(writer, native, "instructions", null);
        Echo(writer, native, "max_output_tokens", null);
        writer.WriteString("model", request.Model);
        writer.WriteStartArray("output");
        if (status != "in_progress")
        {
            foreach (var item in _items)
            {
                WriteItem(writer, item);
            }
        }

        writer.WriteEndArray();
        Echo(writer, native, "parallel_tool_calls", true);
        writer.WriteNull("previous_response_id");
        Echo(writer, native, "temperature", null);
        Echo(writer, native, "top_p", null);
        Echo(writer, native, "tool_choice", "auto");
        writer.WritePropertyName("tools");
        (native["tools"] as JsonArray ?? []).WriteTo(writer);
        writer.WritePropertyName("text");
        (native["text"] as JsonObject ?? new JsonObject { ["format"] = new JsonObject { ["type"] = "text" } }).WriteTo(writer);
        writer.WriteString("truncation", "disabled");
        writer.WriteBoolean("store", false);
        writer.WriteStartObject("metadata");
        writer.WriteEndObject();
        if (status == "in_progress" || _usage is not { } usage)
        {
            writer.WriteNull("usage");
        }
        else
        {
            WriteUsage(writer, usage);
        }

        writer.WriteEndObject();
    }

    private static void WriteError(Utf8JsonWriter writer, GatewayError? error)
    {
        if (error is null)
        {
            writer.WriteNull("error");
            return;
        }

        writer.WriteStartObject("error");
        writer.WriteString("code", error.Status >= 500 ? "server_error" : error.Code);
        writer.WriteString("message", error.Message);
        writer.WriteEndObject();
    }

    private static void Echo(Utf8JsonWriter writer, JsonObject native, string name, JsonNode? fallback)
    {
        writer.WritePropertyName(name);
        (native[name] ?? fallback)?.WriteTo(writer);
        if (native[name] is null && fallback is null)
        {
            writer.WriteNullValue();
        }
    }

    /// <summary>Responses counts as chat does: cached input inside input, reasoning inside output.</summary>
    private static void WriteUsage(Utf8JsonWriter writer, TokenUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteStartObject("input_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedInputTokens);
        writer.WriteEndObject();
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteStartObject("output_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
    }

    private Task EventAsync(string type, Action<Utf8JsonWriter> body, CancellationToken cancellationToken) =>
        NamedServerSentEvent.WriteAsync(context.Response, type, writer =>
        {
            writer.WriteString("type", type);
            writer.WriteNumber("sequence_number", _sequence++);
            body(writer);
        }, cancellationToken);

    private static TokenUsage? Usage(JsonElement root) => OpenAiUsage.TryRead(root, out var usage, out _) ? usage : null;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>One output item as it is built: a message's text, or a function call's arguments.</summary>
    private sealed class OutputItem(bool isMessage, string id)
    {
        public bool IsMessage { get; } = isMessage;

        public string Id { get; } = id;

        public StringBuilder Text { get; } = new();

        public string CallId { get; init; } = "";

        public string Name { get; init; } = "";

        public StringBuilder Arguments { get; } = new();

        public bool Done { get; set; }
    }
}
