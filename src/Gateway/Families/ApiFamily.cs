using Microsoft.AspNetCore.Http;

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

/// <summary>Which family a request on a path that OpenAI's and Anthropic's APIs share is written in.</summary>
internal static class SharedPathFamily
{
    /// <summary>
    /// Anthropic's when the request carries <c>anthropic-version</c>, as Anthropic's SDKs always do; OpenAI's otherwise.
    /// For <c>/v1/models</c> and for a path under <c>/v1/</c> that no endpoint serves.
    /// </summary>
    public static ApiFamily Of(HttpRequest request) =>
        request.Headers.ContainsKey("anthropic-version") ? ApiFamily.Anthropic : ApiFamily.OpenAi;
}
