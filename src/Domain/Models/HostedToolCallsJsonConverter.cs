using System.Text.Json;
using System.Text.Json.Serialization;

namespace Odock.Domain.Models;

/// <summary>
/// Hosted tool calls in JSON as an object of counts by tool (<c>{"web_search":2}</c>): how the ledger's spool keeps a
/// record's split until its row is written. <see cref="HostedToolCalls"/> has no constructor a serializer can call, so
/// without this a record that made such calls would not read back.
/// </summary>
public sealed class HostedToolCallsJsonConverter : JsonConverter<HostedToolCalls>
{
    public override HostedToolCalls? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Hosted tool calls must be an object of counts by tool.");
        }

        var counts = new List<KeyValuePair<string, long>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            if (string.IsNullOrEmpty(name) || !reader.Read() || reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var count))
            {
                throw new JsonException("Hosted tool calls must be whole counts under tool names.");
            }

            counts.Add(new KeyValuePair<string, long>(name, count));
        }

        return HostedToolCalls.Of(counts);
    }

    public override void Write(Utf8JsonWriter writer, HostedToolCalls value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        foreach (var (name, count) in value.Counts)
        {
            writer.WriteNumber(name, count);
        }

        writer.WriteEndObject();
    }
}
