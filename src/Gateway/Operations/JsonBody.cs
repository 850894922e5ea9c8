using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Operations;

/// <summary>The checks every JSON request body shares: an object, and fields of the right type when present.</summary>
internal static class JsonBody
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 128 };

    public static (JsonObject? Root, GatewayError? Error) ReadObject(ReadOnlyMemory<byte> body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body.Span, documentOptions: DocumentOptions);
        }
        catch (JsonException ex)
        {
            return (null, GatewayError.BadRequest($"The request body is not valid JSON: {ex.Message}"));
        }

        return node is JsonObject root ? (root, null) : (null, GatewayError.BadRequest("The request body must be a JSON object."));
    }

    /// <summary>A non-blank string.</summary>
    public static bool TryString(JsonObject root, string name, [NotNullWhen(true)] out string? value)
    {
        value = root[name] is JsonValue node && node.TryGetValue<string>(out var text) && !string.IsNullOrWhiteSpace(text) ? text : null;
        return value is not null;
    }

    /// <summary>False only when the field is present and not a boolean.</summary>
    public static bool TryBool(JsonObject root, string name, out bool value)
    {
        value = false;
        var node = root[name];
        return node is null || (node is JsonValue json && json.TryGetValue(out value));
    }

    /// <summary>False only when the field is present and not a positive integer.</summary>
    public static bool TryPositive(JsonObject root, string name, out long? value)
    {
        value = null;
        var node = root[name];
        if (node is null)
        {
            return true;
        }

        if (node is JsonValue json && json.TryGetValue<long>(out var number) && number >= 1)
        {
            value = number;
            return true;
        }

        return false;
    }
}
