using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers.OpenAi;
using Odock.Gateway.Resolution;
using Odock.Gateway.Routing;

namespace Odock.Gateway.Families;

/// <summary>
/// Writes OpenAI-format answers in the Odock chat format (docs/API.md): a <c>chat.response</c> with typed content parts,
/// every token kind, the cost of that usage at the serving model's prices when the request arrived, the model and
/// provider that served it, and the attempts that failed before it; a stream as server-sent events of five types
/// (<c>start</c>, <c>text</c>, <c>tool_call</c>, <c>end</c>, <c>error</c>), translated chunk by chunk as they arrive.
/// </summary>
internal sealed class OdockChatSink(HttpContext context, string requestId, ResolvedModel target, IReadOnlyList<RoutingAttempt> failedAttempts, DateTimeOffset pricedAt, TimeProvider time) : IChatSink
{
    private readonly long _createdAt = time.GetUtcNow().ToUnixTimeSeconds();
    private string? _finishReason;
    private TokenUsage? _usage;

    public HttpResponse Response => context.Response;

    public async Task WriteCompletionAsync(ReadOnlyMemory<byte> completion, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var document = JsonDocument.Parse(completion))
        using (var writer = new Utf8JsonWriter(buffer))
        {
            var root = document.RootElement;
            var choice = root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0 ? choices[0] : default;
            var message = choice.ValueKind == JsonValueKind.Object && choice.TryGetProperty("message", out var m) ? m : default;
            writer.WriteStartObject();
            WriteIdentity(writer, "chat.response");
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            writer.WriteStartArray("content");
            WriteParts(writer, message);
            writer.WriteEndArray();
            writer.WriteEndObject();
            WriteEnding(writer, Str(choice, "finish_reason"), Usage(root));
            writer.WriteEndObject();
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
        await EventAsync("start", writer => WriteIdentity(writer, "chat.stream"), cancellationToken).ConfigureAwait(false);
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
            var delta = choice.TryGetProperty("delta", out var d) ? d : default;
            if (Str(delta, "content") is { Length: > 0 } text)
            {
                await EventAsync("text", writer => writer.WriteString("text", text), cancellationToken).ConfigureAwait(false);
            }

            if (delta.ValueKind == JsonValueKind.Object && delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in calls.EnumerateArray())
                {
                    await EventAsync("tool_call", writer => WriteToolCallDelta(writer, call), cancellationToken).ConfigureAwait(false);
                }
            }

            _finishReason = Str(choice, "finish_reason") ?? _finishReason;
        }
    }

    public Task EndStreamAsync(CancellationToken cancellationToken) =>
        EventAsync("end", writer => WriteEnding(writer, _finishReason, _usage), cancellationToken);

    public async Task WriteProviderErrorAsync(int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = $"The provider refused the request with HTTP {status}.";
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("error", out var error) && Str(error, "message") is { } text)
            {
                message = text;
            }
        }
        catch (JsonException)
        {
        }

        await WriteErrorAsync(new GatewayError(status, "upstream_client_error", message)).ConfigureAwait(false);
    }

    /// <summary>Before the stream started, the error answer with its status; after, an <c>error</c> event closing the stream.</summary>
    public Task WriteErrorAsync(GatewayError error) => context.Response.HasStarted
        ? EventAsync("error", writer => OdockErrorWriter.WriteError(writer, error, requestId), CancellationToken.None)
        : OdockErrorWriter.WriteAsync(context, error);

    private void WriteIdentity(Utf8JsonWriter writer, string kind)
    {
        writer.WriteString("id", requestId);
        writer.WriteString("object", kind);
        writer.WriteNumber("created_at", _createdAt);
        writer.WriteString("model", target.Model.Name);
        writer.WriteString("provider", target.Provider.Name);
        writer.WritePropertyName("failed_attempts");
        RoutingAttempt.WriteAll(writer, failedAttempts);
    }

    /// <summary>The finish reason, the usage and what it cost at the serving model's prices (zero when the provider reported no usage).</summary>
    private void WriteEnding(Utf8JsonWriter writer, string? finishReason, TokenUsage? reported)
    {
        var usage = reported ?? default;
        writer.WriteString("finish_reason", finishReason ?? "stop");
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteNumber("cached_input_tokens", usage.CachedInputTokens);
        writer.WriteNumber("cache_write_tokens", usage.CacheWriteTokens);
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteEndObject();
        var cost = target.Model.Pricing.Cost(usage, target.Model.Type, pricedAt);
        writer.WriteStartObject("cost");
        writer.WriteNumber("amount", cost.Total);
        writer.WriteString("currency", cost.Currency);
        writer.WriteEndObject();
    }

    private static void WriteParts(Utf8JsonWriter writer, JsonElement message)
    {
        if (Str(message, "content") is { Length: > 0 } text)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "text");
            writer.WriteString("text", text);
            writer.WriteEndObject();
        }

        if (message.ValueKind != JsonValueKind.Object || !message.TryGetProperty("tool_calls", out var calls) || calls.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        foreach (var call in calls.EnumerateArray())
        {
            var function = call.TryGetProperty("function", out var f) ? f : default;
            writer.WriteStartObject();
            writer.WriteString("type", "tool_call");
            writer.WriteString("id", Str(call, "id"));
            writer.WriteString("name", Str(function, "name"));
            WriteArguments(writer, Str(function, "arguments"));
            writer.WriteEndObject();
        }
    }

    /// <summary>The arguments as the JSON object the model produced; as the raw string only when it is not valid JSON.</summary>
    private static void WriteArguments(Utf8JsonWriter writer, string? arguments)
    {
        writer.WritePropertyName("arguments");
        try
        {
            using var parsed = JsonDocument.Parse(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments);
            parsed.RootElement.WriteTo(writer);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(arguments);
        }
    }

    private static void WriteToolCallDelta(Utf8JsonWriter writer, JsonElement call)
    {
        writer.WriteNumber("index", call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0);
        if (Str(call, "id") is { } id)
        {
            writer.WriteString("id", id);
        }

        var function = call.TryGetProperty("function", out var f) ? f : default;
        if (Str(function, "name") is { } name)
        {
            writer.WriteString("name", name);
        }

        writer.WriteString("arguments", Str(function, "arguments") ?? "");
    }

    private Task EventAsync(string type, Action<Utf8JsonWriter> body, CancellationToken cancellationToken) =>
        NamedServerSentEvent.WriteAsync(context.Response, type, body, cancellationToken);

    private static TokenUsage? Usage(JsonElement root) => OpenAiUsage.TryRead(root, out var usage, out _) ? usage : null;

    private static string? Str(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
