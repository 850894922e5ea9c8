using System.Text.Json;
using Odock.Domain.Common;

namespace Odock.Admin.Api.Json;

/// <summary>
/// What was wrong with a body the serializer could not read, in the API's words: the field it concerns and why, without
/// the serializer's .NET type names or reader positions, which mean nothing to a client.
/// </summary>
internal static class JsonProblem
{
    public static ValidationProblem Describe(JsonException json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var field = json.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "body";

        // The reader's own exception (a JsonException of its own type, or wrapped in one by the serializer): the text
        // itself is not JSON.
        if (json.GetType() != typeof(JsonException) || json.InnerException is JsonException)
        {
            return new ValidationProblem("body", $"is not valid JSON (line {(json.LineNumber ?? 0) + 1}, byte {(json.BytePositionInLine ?? 0) + 1})");
        }

        if (json.Message.Contains("could not be mapped to any .NET member", StringComparison.Ordinal))
        {
            return new ValidationProblem(field, "is not a field of this request");
        }

        if (json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return field == "body"
                ? new ValidationProblem(field, "must be a JSON object")
                : new ValidationProblem(field, "has a value of the wrong type, or out of its range");
        }

        // The API's own converters (enums by wire name, prices) say what they expect in their message.
        return new ValidationProblem(field, json.Message);
    }
}
