using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Operations;

/// <summary>
/// OpenAI's <c>input</c> (embeddings) or <c>prompt</c> (legacy completions), in any of its four forms: a string, an
/// array of strings, an array of token ids, or an array of token-id arrays. <see cref="Texts"/> holds the strings, or is
/// null when the input was token ids (a provider that only takes text cannot be sent those). The token estimate is
/// the length of token arrays, and about four characters a token for text.
/// </summary>
internal sealed record PromptInput(IReadOnlyList<string>? Texts, int Count, long EstimatedTokens)
{
    private const int CharactersPerToken = 4;

    public static (PromptInput? Input, GatewayError? Error) Read(JsonNode? node, string param)
    {
        switch (node)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                return (new PromptInput([text], 1, Estimate(text)), null);
            case JsonArray { Count: > 0 } array when array.All(item => item is JsonValue v && v.GetValueKind() == JsonValueKind.String):
                var texts = array.Select(item => item!.GetValue<string>()).ToArray();
                return (new PromptInput(texts, texts.Length, texts.Sum(Estimate)), null);
            case JsonArray { Count: > 0 } array when array.All(IsTokenId):
                return (new PromptInput(null, 1, array.Count), null);
            case JsonArray { Count: > 0 } array when array.All(item => item is JsonArray { Count: > 0 } inner && inner.All(IsTokenId)):
                return (new PromptInput(null, array.Count, array.Sum(item => (long)((JsonArray)item!).Count)), null);
            default:
                return (null, GatewayError.BadRequest($"'{param}' is required and must be a string, an array of strings, an array of token ids or an array of token-id arrays, none of them empty.", param));
        }
    }

    private static long Estimate(string text) => Math.Max(1, (text.Length + CharactersPerToken - 1) / CharactersPerToken);

    private static bool IsTokenId(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var id) && id >= 0;
}
