using Odock.Domain.Providers;
using Odock.Gateway.Providers.OpenAi;
using Odock.Gateway.Resolution;

namespace Odock.Gateway.Providers.AzureOpenAi;

/// <summary>
/// Azure OpenAI's URL for a call: <c>{base}/openai/deployments/{deployment}/{operation}?api-version={version}</c>. The
/// model's upstream slug is the deployment name; the version comes from the provider's <c>api_version</c> setting,
/// checked when the provider is saved, or <see cref="AzureOpenAiSettings.DefaultApiVersion"/>. Request and answer
/// bodies are OpenAI's, so everything else about the call is the OpenAI adapters' own.
/// </summary>
internal static class AzureOpenAiAddress
{
    public static string For(ResolvedModel target, UpstreamOperation operation)
    {
        var provider = target.Provider;
        var baseUrl = provider.BaseUrl?.TrimEnd('/') ?? throw new InvalidOperationException($"Provider '{provider.Name}' has no base URL.");
        var version = AzureOpenAiSettings.ApiVersionOf(provider.Settings);
        return $"{baseUrl}/openai/deployments/{Uri.EscapeDataString(target.Model.UpstreamSlug)}/{OpenAiUpstreamRequest.PathOf(operation)}?api-version={Uri.EscapeDataString(version)}";
    }
}
