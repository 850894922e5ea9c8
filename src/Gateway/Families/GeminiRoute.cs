namespace Odock.Gateway.Families;

/// <summary>
/// What a Gemini path names: the model and the method, read from <c>/v1beta/models/{model}:{method}</c>. The model is
/// everything before the last colon, so Odock model names may contain colons themselves.
/// </summary>
internal sealed record GeminiRoute(string Model, GeminiMethod Method)
{
    /// <summary>Null when the path names no model or a method Odock does not serve.</summary>
    public static GeminiRoute? Parse(string? modelAndMethod)
    {
        var colon = modelAndMethod?.LastIndexOf(':') ?? -1;
        if (colon < 1)
        {
            return null;
        }

        GeminiMethod? method = modelAndMethod.AsSpan(colon + 1) switch
        {
            "generateContent" => GeminiMethod.GenerateContent,
            "streamGenerateContent" => GeminiMethod.StreamGenerateContent,
            "countTokens" => GeminiMethod.CountTokens,
            "embedContent" => GeminiMethod.EmbedContent,
            "batchEmbedContents" => GeminiMethod.BatchEmbedContents,
            _ => null,
        };
        return method is { } known ? new GeminiRoute(modelAndMethod![..colon], known) : null;
    }
}
