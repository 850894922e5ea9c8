using Odock.Domain.Providers;
using Odock.Gateway.Providers.Mock;
using Odock.Gateway.Providers.OpenAi;

namespace Odock.Gateway.Providers;

/// <summary>The chat adapter for each provider type; null for types whose adapter this gateway does not have.</summary>
internal sealed class ProviderRegistry(OpenAiChatProvider openAi, MockChatProvider mock)
{
    public IChatProvider? ChatFor(ProviderType type) => type switch
    {
        ProviderType.OpenAi or ProviderType.OpenAiCompatible or ProviderType.Vllm => openAi,
        ProviderType.Mock => mock,
        _ => null,
    };
}
