using Microsoft.AspNetCore.Http;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary><c>POST /v1/chat/completions</c>: OpenAI's format in, OpenAI's format out.</summary>
internal sealed class OpenAiChatFamily : IChatFamily
{
    public ApiFamily Family => ApiFamily.OpenAi;

    public string Endpoint => "openai.chat_completions";

    public (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http) => OpenAiChatParser.Parse(body);

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => OpenAiErrorWriter.WriteAsync(context, error);

    public IChatSink CreateSink(HttpContext context, ChatRequest request, string requestId) => new OpenAiChatSink(context, request.ClientWantsStreamUsage);
}
