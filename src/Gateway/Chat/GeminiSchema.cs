using System.Text.Json.Nodes;

namespace Odock.Gateway.Chat;

/// <summary>
/// Gemini's <c>Schema</c> (an OpenAPI subset) as JSON Schema: the same keywords, but Gemini spells types in capitals
/// (<c>OBJECT</c>, <c>STRING</c>), which JSON Schema validators and other providers reject.
/// </summary>
internal static class GeminiSchema
{
    public static JsonNode? ToJsonSchema(JsonNode? schema)
    {
        if (schema is null)
        {
            return null;
        }

        var copy = schema.DeepClone();
        LowerTypes(copy);
        return copy;
    }

    private static void LowerTypes(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToArray())
                {
                    if (name == "type" && value is JsonValue type && type.TryGetValue<string>(out var text))
                    {
                        obj[name] = text.ToLowerInvariant();
                    }
                    else
                    {
                        LowerTypes(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    LowerTypes(item);
                }

                break;
        }
    }
}
