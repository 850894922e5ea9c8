using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;

namespace Odock.Gateway.Endpoints;

/// <summary>
/// The answer to a request under one of the gateway's prefixes that no endpoint serves (<c>/v1/files</c>,
/// <c>/v1/audio/transcriptions</c>, a <c>GET</c> on a <c>POST</c> endpoint...): 404 in the calling family's own shape,
/// naming the method and path, so an SDK raises its usual not-found error with a message that says what was missing.
/// Gemini's shape under <c>/v1beta/</c>, Odock's under <c>/odock/</c>, Anthropic's under <c>/v1/messages</c> or when the
/// request carries <c>anthropic-version</c>, OpenAI's otherwise. The request is not admitted, so it has no ledger row.
/// </summary>
internal static class UnknownEndpoint
{
    public const string Code = "unknown_endpoint";

    public static Task WriteAsync(HttpContext context)
    {
        var request = context.Request;
        var path = request.Path.Value ?? "/";
        var error = new GatewayError(StatusCodes.Status404NotFound, Code, $"Odock serves no {request.Method} {path}; its API reference lists the endpoints it serves.");
        if (path.StartsWith("/v1beta/", StringComparison.Ordinal))
        {
            return GeminiErrorWriter.WriteAsync(context, error);
        }

        if (path.StartsWith("/odock/", StringComparison.Ordinal))
        {
            return OdockErrorWriter.WriteAsync(context, error);
        }

        return path.StartsWith("/v1/messages", StringComparison.Ordinal) || SharedPathFamily.Of(request) == ApiFamily.Anthropic
            ? AnthropicErrorWriter.WriteAsync(context, error)
            : OpenAiErrorWriter.WriteAsync(context, error);
    }
}
