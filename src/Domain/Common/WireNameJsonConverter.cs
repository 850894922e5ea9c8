using System.Text.Json;
using System.Text.Json.Serialization;

namespace Odock.Domain.Common;

/// <summary>Writes and reads an enum as its <see cref="WireName"/> (<c>round_robin</c>), refusing unknown names with the choices.</summary>
public sealed class WireNameJsonConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return WireName.TryParse<TEnum>(text, out var value)
            ? value
            : throw new JsonException($"Expected one of: {WireName.Choices<TEnum>()}.");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(WireName.Of(value));
    }
}
