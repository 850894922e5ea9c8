using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Odock.Gateway.Chat;

/// <summary>
/// A conservative input-token estimate before the provider counts, from the internal (OpenAI chat) body: about four
/// characters a token for text (English averages nearer 4.5), a few tokens of framing per message, the tool
/// definitions and response schema (providers bill them as input), and each image part as a 1024x1024 image at high
/// detail (765 tokens in OpenAI's tiles). Used for stage-2 token limits and reservations; settlement always uses the
/// provider's own count. Two readings of the same rules: a tree (bodies built by translation) and a parsed document
/// (OpenAI clients' bodies, read without a tree). Texts count alike in both; tools and schemas count by their JSON
/// spelling, which the document takes as the client sent it.
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

    public static long Estimate(JsonElement chat)
    {
        long characters = 0;
        long images = 0;
        var messages = 0;
        if (chat.TryGetProperty("messages"u8, out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in list.EnumerateArray())
            {
                messages++;
                if (message.ValueKind == JsonValueKind.Object)
                {
                    characters += message.TryGetProperty("content"u8, out var content) ? CountText(content, ref images) : 0;
                    characters += message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array ? JsonLength(calls) : 0;
                }
            }
        }

        characters += (chat.TryGetProperty("tools"u8, out var tools) ? JsonLength(tools) : 0)
            + (chat.TryGetProperty("response_format"u8, out var format) ? JsonLength(format) : 0);
        return ((characters + CharactersPerToken - 1) / CharactersPerToken) + (messages * TokensPerMessage) + (images * TokensPerImage);
    }

    private static long CountText(JsonElement content, ref long images)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return TextLength(content);
        }

        long characters = 0;
        if (content.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in content.EnumerateArray())
            {
                if (part.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (part.TryGetProperty("text"u8, out var text) && text.ValueKind == JsonValueKind.String)
                {
                    characters += TextLength(text);
                }
                else if (part.TryGetProperty("image_url"u8, out var image) && image.ValueKind != JsonValueKind.Null)
                {
                    images++;
                }
            }
        }

        return characters;
    }

    /// <summary>
    /// A string's length, as the tree reading counts it. Counted on its bytes when it holds no escape (no string is
    /// made); a client that escapes (Python's <c>json</c> spells every non-ASCII character <c>\uXXXX</c>) gets it decoded.
    /// </summary>
    private static long TextLength(JsonElement text)
    {
        var spelling = JsonMarshal.GetRawUtf8Value(text)[1..^1];
        return spelling.Contains((byte)'\\') ? text.GetString()!.Length : Encoding.UTF8.GetCharCount(spelling);
    }

    private static long JsonLength(JsonElement value) => value.ValueKind == JsonValueKind.Null ? 0 : Encoding.UTF8.GetCharCount(JsonMarshal.GetRawUtf8Value(value));

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
