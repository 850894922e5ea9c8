using System.Text.Json.Nodes;

namespace Odock.Gateway.Chat;

/// <summary>
/// A conservative input-token estimate before the provider counts, from the internal (OpenAI chat) body: about four
/// characters a token for text (English averages nearer 4.5), a few tokens of framing per message, the tool
/// definitions and response schema (providers bill them as input), and each image part as a 1024x1024 image at high
/// detail (765 tokens in OpenAI's tiles). Used for stage-2 token limits and reservations; settlement always uses the
/// provider's own count.
/// </summary>
internal static class TokenEstimator
{
    private const int CharactersPerToken = 4;
    private const int TokensPerMessage = 4;
    private const int TokensPerImage = 765;

    public static long Estimate(JsonObject chat)
    {
        ArgumentNullException.ThrowIfNull(chat);
        var messages = chat["messages"] as JsonArray ?? [];
        long characters = 0;
        long images = 0;
        foreach (var message in messages)
        {
            characters += CountText(message?["content"], ref images);
            if (message?["tool_calls"] is JsonArray calls)
            {
                characters += calls.ToJsonString().Length;
            }
        }

        characters += JsonLength(chat["tools"]) + JsonLength(chat["response_format"]);
        return ((characters + CharactersPerToken - 1) / CharactersPerToken) + (messages.Count * TokensPerMessage) + (images * TokensPerImage);
    }

    private static long CountText(JsonNode? content, ref long images)
    {
        switch (content)
        {
            case JsonValue value when value.TryGetValue<string>(out var text):
                return text.Length;
            case JsonArray parts:
                long characters = 0;
                foreach (var part in parts)
                {
                    if (part?["text"] is JsonValue text && text.TryGetValue<string>(out var s))
                    {
                        characters += s.Length;
                    }
                    else if (part?["image_url"] is not null)
                    {
                        images++;
                    }
                }

                return characters;
            default:
                return 0;
        }
    }

    private static long JsonLength(JsonNode? node) => node is null ? 0 : node.ToJsonString().Length;
}
