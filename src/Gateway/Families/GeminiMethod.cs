namespace Odock.Gateway.Families;

/// <summary>The Gemini model methods Odock serves, named in the path after the model (<c>models/{model}:{method}</c>).</summary>
internal enum GeminiMethod
{
    GenerateContent,
    StreamGenerateContent,
    CountTokens,
    EmbedContent,
    BatchEmbedContents,
}
