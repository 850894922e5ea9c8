using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Operations;

/// <summary>
/// A client-facing non-chat endpoint: how its bodies are read, and how answers are written in its family's format.
/// Adapters hand over OpenAI-format answers (the internal form), which the surface writes as its clients expect.
/// </summary>
internal interface IOperationSurface : IApiSurface
{
    (OperationRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body);

    /// <summary>A successful OpenAI-format answer (an embeddings list, generated images, rerank results, tokens).</summary>
    Task WriteAnswerAsync(HttpContext context, OperationRequest request, ReadOnlyMemory<byte> answer, CancellationToken cancellationToken);

    /// <summary>The provider refused the request: its status and an OpenAI-shaped error body.</summary>
    Task WriteProviderErrorAsync(HttpContext context, int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}
