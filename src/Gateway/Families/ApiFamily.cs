namespace Odock.Gateway.Families;

/// <summary>The client-facing API families.</summary>
internal enum ApiFamily
{
    OpenAi,
    Anthropic,
    Gemini,

    /// <summary>OpenAI's Responses API (<c>/v1/responses</c>): relayed as sent to OpenAI-format providers, translated for the others.</summary>
    OpenAiResponses,

    /// <summary>Odock's own provider-neutral chat format (<c>/odock/v1/chat</c>): every provider gets a translation.</summary>
    Odock,
}
