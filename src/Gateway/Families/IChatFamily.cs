using Microsoft.AspNetCore.Http;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>
/// A client API family's chat surface (OpenAI chat completions, Anthropic messages, Gemini generateContent): how its
/// requests are read into the internal request, how its answers and errors are written, and its name in the ledger.
/// </summary>
internal interface IChatFamily
{
    ApiFamily Family { get; }

    string Endpoint { get; }

    (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http);

    Task WriteErrorAsync(HttpContext context, GatewayError error);

    /// <summary>A writer of answers in this family's format, fed with OpenAI-format completions and chunks.</summary>
    IChatSink CreateSink(HttpContext context, ChatRequest request, string requestId);
}
