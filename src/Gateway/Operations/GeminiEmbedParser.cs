using System.Text.Json.Nodes;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Operations;

/// <summary>
/// Reads Gemini's <c>embedContent</c> (<c>{"content":{"parts":[{"text"}]},"outputDimensionality"}</c>) and
/// <c>batchEmbedContents</c> (<c>{"requests":[...]}</c>, one such request each). The body is kept as sent for Gemini
/// providers; for the others it becomes one OpenAI embeddings request with an input per content (the text of its parts,
/// joined), asking for JSON numbers so the answer can be turned back into Gemini's <c>values</c>.
/// </summary>
internal static class GeminiEmbedParser
{
    private const int CharactersPerToken = 4;

    public static (OperationRequest? Request, GatewayError? Error) Parse(GeminiRoute route, ReadOnlyMemory<byte> body)
    {
        var (root, error) = JsonBody.ReadObject(body);
        if (root is null)
        {
            return (null, error);
        }

        var batch = route.Method == GeminiMethod.BatchEmbedContents;
        JsonObject[] requests;
        if (batch)
        {
            if (root["requests"] is not JsonArray { Count: > 0 } items || items.Any(i => i is not JsonObject))
            {
                return (null, GatewayError.BadRequest("'requests' is required and must be a non-empty array of embedContent requests.", "requests"));
            }

            requests = items.Select(i => (JsonObject)i!).ToArray();
        }
        else
        {
            requests = [root];
        }

        var texts = new string[requests.Length];
        int? dimensions = null;
        for (var i = 0; i < requests.Length; i++)
        {
            var param = batch ? $"requests[{i}]" : "content";
            if (Text(requests[i]["content"]) is not { } text)
            {
                return (null, GatewayError.BadRequest($"'{param}' must have a 'content' whose 'parts' hold text.", param));
            }

            texts[i] = text;
            if (batch && requests[i]["model"] is { } named && !NamesRouteModel(named, route.Model))
            {
                // Gemini refuses a batch whose requests name another model; served with the URL's, it would be charged
                // and answered as a model the client did not ask for.
                return (null, GatewayError.BadRequest($"'{param}.model' must name the model in the URL, 'models/{route.Model}': a batch embeds with one model.", $"{param}.model"));
            }

            if (!JsonBody.TryPositive(requests[i], "outputDimensionality", out var asked) || (asked is not null && dimensions is not null && asked != dimensions))
            {
                return (null, GatewayError.BadRequest("'outputDimensionality' must be a positive integer, the same for every request.", "outputDimensionality"));
            }

            dimensions ??= (int?)asked;
        }

        var input = new PromptInput(texts, texts.Length, texts.Sum(t => Math.Max(1, (t.Length + CharactersPerToken - 1) / CharactersPerToken)));
        var translated = new JsonObject
        {
            ["model"] = route.Model,
            ["input"] = new JsonArray(texts.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray()),
            ["encoding_format"] = "float",
        };
        if (dimensions is { } size)
        {
            translated["dimensions"] = size;
        }

        return (new OperationRequest
        {
            Operation = UpstreamOperation.Embeddings, Model = route.Model, Body = translated, NativeBody = root,
            NativeMethod = batch ? "batchEmbedContents" : "embedContent", Input = input, EstimatedInputTokens = input.EstimatedTokens, Dimensions = dimensions,
        }, null);
    }

    private static bool NamesRouteModel(JsonNode named, string model) =>
        named is JsonValue value && value.TryGetValue<string>(out var name) && (name == model || (name.StartsWith("models/", StringComparison.Ordinal) && name.AsSpan("models/".Length).SequenceEqual(model)));

    private static string? Text(JsonNode? content)
    {
        if (content is not JsonObject { } item || item["parts"] is not JsonArray parts)
        {
            return null;
        }

        var texts = parts.Select(p => p?["text"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null).Where(t => t is not null).ToArray();
        return texts.Length == 0 ? null : string.Join('\n', texts);
    }
}
