using Microsoft.AspNetCore.Http;
using Odock.Domain.Common;
using Odock.Domain.Providers;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Families;

/// <summary>
/// <c>POST /v1/completions</c>: legacy text completions in OpenAI's format, governed like chat and served by vLLM,
/// OpenAI-compatible servers and the mock provider, streamed or not. Other provider types answer 400 naming theirs.
/// </summary>
internal sealed class OpenAiCompletionsFamily : IChatFamily
{
    public ApiFamily Family => ApiFamily.OpenAi;

    public string Endpoint => "openai.completions";

    public (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http) => OpenAiCompletionsParser.Parse(body);

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => OpenAiErrorWriter.WriteAsync(context, error);

    public IChatSink CreateSink(HttpContext context, ChatRequest request, string requestId) => new OpenAiChatSink(context, request.ClientWantsStreamUsage);

    public GatewayError? Refuse(CatalogModel model, CatalogProvider provider) =>
        provider.Type is ProviderType.Vllm or ProviderType.OpenAiCompatible or ProviderType.Mock
            ? null
            : new GatewayError(400, "unsupported_provider_type", $"The model '{model.Name}' is served by a provider of type '{WireName.Of(provider.Type)}'; /v1/completions is served by vllm, openai_compatible and mock providers only.", "model");
}
