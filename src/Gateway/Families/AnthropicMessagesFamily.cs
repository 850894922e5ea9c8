using Microsoft.AspNetCore.Http;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>
/// <c>POST /v1/messages</c>: Anthropic's format in and out, whatever provider serves the model; or, counting tokens,
/// <c>POST /v1/messages/count_tokens</c>, whose bodies are the same without <c>max_tokens</c>.
/// </summary>
internal sealed class AnthropicMessagesFamily(bool countsTokens) : IChatFamily
{
    public ApiFamily Family => ApiFamily.Anthropic;

    public string Endpoint => countsTokens ? "anthropic.count_tokens" : "anthropic.messages";

    public (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http) => AnthropicRequestTranslator.Parse(body, http, countsTokens);

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => AnthropicErrorWriter.WriteAsync(context, error);

    public IChatSink CreateSink(HttpContext context, ChatRequest request, string requestId) => new AnthropicMessagesSink(context, request, requestId);
}
