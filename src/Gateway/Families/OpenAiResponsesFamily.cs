using Microsoft.AspNetCore.Http;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>
/// <c>POST /v1/responses</c>: OpenAI's Responses format in and out. OpenAI-format providers get the body as sent (the
/// model replaced by the upstream slug); the others get its chat translation, and their answers come back as Response
/// objects and typed stream events.
/// </summary>
internal sealed class OpenAiResponsesFamily(TimeProvider time) : IChatFamily
{
    public ApiFamily Family => ApiFamily.OpenAiResponses;

    public string Endpoint => "openai.responses";

    public (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http) => ResponsesRequestTranslator.Parse(body);

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => OpenAiErrorWriter.WriteAsync(context, error);

    public IChatSink CreateSink(HttpContext context, ChatRequest request, string requestId) => new ResponsesSink(context, request, requestId, time);
}
