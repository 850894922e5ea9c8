using Microsoft.AspNetCore.Http;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Families;

/// <summary>
/// A client API family's chat surface (OpenAI chat completions, Anthropic messages, Gemini generateContent): how its
/// requests are read into the internal request, how its answers and errors are written, and its name in the ledger.
/// </summary>
internal interface IChatFamily : IApiSurface
{
    ApiFamily Family { get; }

    (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http);

    /// <summary>A writer of answers in this family's format, fed with OpenAI-format completions and chunks.</summary>
    IChatSink CreateSink(HttpContext context, ChatRequest request, string requestId);

    /// <summary>
    /// Why this surface cannot be served by the model, checked once the model is resolved and granted, or null. Chat
    /// reaches every provider type; narrower surfaces (vLLM's legacy completions) name what they need.
    /// </summary>
    GatewayError? Refuse(CatalogModel model, CatalogProvider provider) => null;
}
