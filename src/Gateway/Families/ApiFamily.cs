namespace Odock.Gateway.Families;

/// <summary>The client-facing API families.</summary>
internal enum ApiFamily
{
    OpenAi,
    Anthropic,
    Gemini,
}
