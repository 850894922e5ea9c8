using Odock.Domain.Providers;
using Odock.Gateway.Providers;
using Odock.Gateway.Providers.Gemini;
using Odock.Gateway.Providers.Mock;
using Odock.Gateway.Providers.OpenAi;

namespace Odock.Gateway.Operations;

/// <summary>
/// Which adapter serves a non-chat operation for a provider type, or null when that type does not offer it: embeddings
/// everywhere but Anthropic, images on OpenAI-format providers, and vLLM's rerank, tokenize and detokenize on vLLM and
/// OpenAI-compatible servers. The mock provider answers everything.
/// </summary>
internal sealed class OperationProviderRegistry(OpenAiOperationProvider openAi, MockOperationProvider mock, GeminiEmbeddingsProvider gemini)
{
    public IOperationProvider? For(ProviderType type, UpstreamOperation operation) => operation switch
    {
        _ when type == ProviderType.Mock => mock,
        UpstreamOperation.Embeddings when type == ProviderType.Gemini => gemini,
        UpstreamOperation.Embeddings when type is ProviderType.OpenAi or ProviderType.AzureOpenAi or ProviderType.OpenAiCompatible or ProviderType.Vllm => openAi,
        UpstreamOperation.ImageGenerations when type is ProviderType.OpenAi or ProviderType.AzureOpenAi or ProviderType.OpenAiCompatible => openAi,
        UpstreamOperation.Rerank or UpstreamOperation.Tokenize or UpstreamOperation.Detokenize when type is ProviderType.Vllm or ProviderType.OpenAiCompatible => openAi,
        _ => null,
    };

    /// <summary>The provider types that serve an operation, as written in configuration, for error messages.</summary>
    public static string TypesServing(UpstreamOperation operation) => operation switch
    {
        UpstreamOperation.Embeddings => "openai, azure_openai, openai_compatible, vllm, gemini and mock",
        UpstreamOperation.ImageGenerations => "openai, azure_openai, openai_compatible and mock",
        _ => "vllm, openai_compatible and mock",
    };
}
