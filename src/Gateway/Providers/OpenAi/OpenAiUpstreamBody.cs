using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Chat;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>What an OpenAI-format provider's copy of a chat body changes: see <see cref="OpenAiUpstreamBody"/>.</summary>
/// <param name="Model">The provider's name for the model, or null to leave the field out (Azure names the deployment in the URL).</param>
/// <param name="LimitField">The provider's output limit field, added when the body names no limit; null adds none.</param>
/// <param name="Limit">The reserved output limit: no limit the body names may pass it.</param>
/// <param name="IncludeUsage">Switch <c>stream_options.include_usage</c> on, so a stream's last chunk carries the token counts.</param>
internal readonly record struct UpstreamChatEdits(string? Model, string? LimitField, long Limit, bool IncludeUsage);

/// <summary>
/// The body an OpenAI-format provider is sent for a chat call: the request's top-level fields in their order, with the
/// edits of <see cref="UpstreamChatEdits"/>. A limit the body names (<c>max_completion_tokens</c>, <c>max_tokens</c>)
/// is kept unless it is above the reserved one, where it is lowered; a null limit is no limit, so it is replaced.
/// Either way the provider can never produce more than the budgets reserved for.
/// <para>
/// The request itself is never changed, so each attempt of a fallback chain starts from what the client sent. A body
/// that came in OpenAI's format is copied from the client's bytes, each value as sent: no tree is built and nothing
/// is escaped again. A translated body is written from its tree.
/// </para>
/// </summary>
internal static class OpenAiUpstreamBody
{
    /// <summary>A thread's writer keeps a buffer this large at most between calls; a larger body gets its own.</summary>
    private const int KeptBufferBytes = 64 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private enum Field
    {
        Other,
        Model,
        Limit,
        StreamOptions,
    }

    public static byte[] Write(ChatRequest request, UpstreamChatEdits edits)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = t_writer ??= new Utf8JsonWriter(buffer);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        var seen = request.UntouchedDocument is { } document ? WriteFields(writer, document, edits) : WriteFields(writer, request.Body, edits);
        if (!seen.Model && edits.Model is not null)
        {
            writer.WriteString("model"u8, edits.Model);
        }

        if (!seen.Limit && edits.LimitField is not null)
        {
            writer.WriteNumber(edits.LimitField, edits.Limit);
        }

        if (!seen.StreamOptions && edits.IncludeUsage)
        {
            writer.WriteStartObject("stream_options"u8);
            writer.WriteBoolean("include_usage"u8, true);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
        writer.Flush();
        var body = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > KeptBufferBytes)
        {
            t_buffer = null;
            t_writer = null;
        }

        return body;
    }

    private static (bool Model, bool Limit, bool StreamOptions) WriteFields(Utf8JsonWriter writer, JsonElement root, UpstreamChatEdits edits)
    {
        (bool Model, bool Limit, bool StreamOptions) seen = default;
        writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            switch (FieldOf(property))
            {
                case Field.Model:
                    seen.Model = true;
                    WriteModel(writer, edits);
                    break;
                case Field.Limit when property.Value.ValueKind == JsonValueKind.Null:
                    break;
                case Field.Limit:
                    seen.Limit = true;
                    WriteLimit(writer, property.Name, property.Value.TryGetInt64(out var asked) ? asked : edits.Limit, edits);
                    break;
                case Field.StreamOptions when edits.IncludeUsage:
                    seen.StreamOptions = true;
                    writer.WriteStartObject("stream_options"u8);
                    if (property.Value.ValueKind == JsonValueKind.Object)
                    {
                        foreach (var option in property.Value.EnumerateObject())
                        {
                            if (!option.NameEquals("include_usage"u8))
                            {
                                Copy(writer, option);
                            }
                        }
                    }

                    writer.WriteBoolean("include_usage"u8, true);
                    writer.WriteEndObject();
                    break;
                default:
                    Copy(writer, property);
                    break;
            }
        }

        return seen;
    }

    private static (bool Model, bool Limit, bool StreamOptions) WriteFields(Utf8JsonWriter writer, JsonObject root, UpstreamChatEdits edits)
    {
        (bool Model, bool Limit, bool StreamOptions) seen = default;
        writer.WriteStartObject();
        foreach (var (name, value) in root)
        {
            switch (FieldOf(name))
            {
                case Field.Model:
                    seen.Model = true;
                    WriteModel(writer, edits);
                    break;
                case Field.Limit when value is null:
                    break;
                case Field.Limit:
                    seen.Limit = true;
                    WriteLimit(writer, name, value is JsonValue number && number.TryGetValue<long>(out var asked) ? asked : edits.Limit, edits);
                    break;
                case Field.StreamOptions when edits.IncludeUsage:
                    seen.StreamOptions = true;
                    var options = value as JsonObject ?? [];
                    writer.WriteStartObject("stream_options"u8);
                    foreach (var (option, setting) in options)
                    {
                        if (option != "include_usage")
                        {
                            Write(writer, option, setting);
                        }
                    }

                    writer.WriteBoolean("include_usage"u8, true);
                    writer.WriteEndObject();
                    break;
                default:
                    Write(writer, name, value);
                    break;
            }
        }

        return seen;
    }

    private static Field FieldOf(JsonProperty property) =>
        property.NameEquals("model"u8) ? Field.Model
        : property.NameEquals("max_completion_tokens"u8) || property.NameEquals("max_tokens"u8) ? Field.Limit
        : property.NameEquals("stream_options"u8) ? Field.StreamOptions
        : Field.Other;

    private static Field FieldOf(string name) => name switch
    {
        "model" => Field.Model,
        "max_completion_tokens" or "max_tokens" => Field.Limit,
        "stream_options" => Field.StreamOptions,
        _ => Field.Other,
    };

    private static void WriteModel(Utf8JsonWriter writer, UpstreamChatEdits edits)
    {
        if (edits.Model is not null)
        {
            writer.WriteString("model"u8, edits.Model);
        }
    }

    private static void WriteLimit(Utf8JsonWriter writer, string name, long asked, UpstreamChatEdits edits) =>
        writer.WriteNumber(name, Math.Min(asked, edits.Limit));

    /// <summary>A property as the client spelled it: its name and value bytes are copied, not decoded and encoded again.</summary>
    private static void Copy(Utf8JsonWriter writer, JsonProperty property)
    {
        var name = JsonMarshal.GetRawUtf8PropertyName(property);
        if (name.Contains((byte)'\\'))
        {
            // The raw name holds escapes, which the writer would escape a second time: write it decoded.
            writer.WritePropertyName(property.Name);
        }
        else
        {
            writer.WritePropertyName(name);
        }

        writer.WriteRawValue(JsonMarshal.GetRawUtf8Value(property.Value), skipInputValidation: true);
    }

    private static void Write(Utf8JsonWriter writer, string name, JsonNode? value)
    {
        writer.WritePropertyName(name);
        if (value is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
