using System.Text.Json.Nodes;

namespace Odock.Gateway.Chat;

/// <summary>
/// A conservative input-token estimate before the provider counts: about four characters a token for text (English
/// averages nearer 4.5), plus a few tokens of framing per message. Used for stage-2 token limits and reservations;
/// settlement always uses the provider's own count.
/// </summary>
internal static class TokenEstimator
{
    private const int CharactersPerToken = 4;
    private const int TokensPerMessage = 4;

    public static long Estimate(JsonArray messages)
    {
        long characters = 0;
        foreach (var message in messages)
        {
            characters += CountText(message?["content"]);
            if (message?["tool_calls"] is JsonArray calls)
            {
                characters += calls.ToJsonString().Length;
            }
        }

        return (characters + CharactersPerToken - 1) / CharactersPerToken + (messages.Count * TokensPerMessage);
    }

    private static long CountText(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue<string>(out var text) => text.Length,
        JsonArray parts => parts.Sum(part => part?["text"] is JsonValue text && text.TryGetValue<string>(out var s) ? s.Length : 0),
        _ => 0,
    };
}
