using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Operations;

/// <summary>
/// <c>POST /v1/embeddings</c>, <c>/v1/images/generations</c>, <c>/v1/rerank</c>, <c>/tokenize</c> and
/// <c>/detokenize</c>: OpenAI's (and vLLM's) format in and out, errors in OpenAI's shape.
/// </summary>
internal sealed class OpenAiOperationSurface(UpstreamOperation operation) : IOperationSurface
{
    public string Endpoint => operation switch
    {
        UpstreamOperation.Embeddings => "openai.embeddings",
        UpstreamOperation.ImageGenerations => "openai.images_generations",
        UpstreamOperation.Rerank => "vllm.rerank",
        UpstreamOperation.Tokenize => "vllm.tokenize",
        UpstreamOperation.Detokenize => "vllm.detokenize",
        _ => throw new InvalidOperationException($"{operation} has no OpenAI operation surface."),
    };

    public (OperationRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body) => OpenAiOperationParser.Parse(operation, body);

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => OpenAiErrorWriter.WriteAsync(context, error);

    public Task WriteAnswerAsync(HttpContext context, OperationRequest request, ReadOnlyMemory<byte> answer, CancellationToken cancellationToken) =>
        WriteJsonAsync(context, StatusCodes.Status200OK, answer, cancellationToken);

    public Task WriteProviderErrorAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        WriteJsonAsync(context, status, body, cancellationToken);

    private static async Task WriteJsonAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }
}
