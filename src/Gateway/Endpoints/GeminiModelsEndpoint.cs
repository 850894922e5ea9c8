using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Operations;
using Odock.Gateway.Pipeline;

namespace Odock.Gateway.Endpoints;

/// <summary>
/// <c>POST /v1beta/models/{model}:{method}</c>. Route templates cannot put a literal colon after a parameter, so the
/// path after <c>models/</c> arrives whole and is split here into the model and the method, which picks the pipeline:
/// chat for content generation and token counts, operations for embeddings. A method Odock does not serve is answered
/// 404, as Google does.
/// </summary>
internal sealed class GeminiModelsEndpoint(ChatPipeline pipeline, OperationPipeline operations)
{
    public Task PostAsync(HttpContext context, string modelAndMethod)
    {
        if (GeminiRoute.Parse(modelAndMethod) is not { } route)
        {
            return GeminiErrorWriter.WriteAsync(context, new GatewayError(404, "method_not_found", $"'models/{modelAndMethod}' names no method this gateway serves: use ':generateContent', ':streamGenerateContent', ':countTokens', ':embedContent' or ':batchEmbedContents'."));
        }

        if (route.Method is GeminiMethod.EmbedContent or GeminiMethod.BatchEmbedContents)
        {
            return operations.HandleAsync(context, new GeminiEmbedSurface(route));
        }

        var family = new GeminiFamily(route);
        return route.Method == GeminiMethod.CountTokens
            ? pipeline.CountTokensAsync(context, family, (http, request, _) => GeminiFamily.WriteTokenCountAsync(http, request.EstimatedInputTokens))
            : pipeline.HandleAsync(context, family);
    }
}
