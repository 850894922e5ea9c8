using Odock.Domain.Providers;
using Odock.Gateway.Families;
using Odock.Gateway.Providers.Anthropic;
using Odock.Gateway.Providers.Gemini;
using Odock.Gateway.Providers.Mock;
using Odock.Gateway.Providers.OpenAi;

namespace Odock.Gateway.Providers;

/// <summary>
/// The chat adapter for a provider type and a client family: a provider of the client's own family gets the request
/// untranslated; the others speak OpenAI chat, translated by the client's sink. Null when no adapter fits yet.
/// </summary>
internal sealed class ProviderRegistry(OpenAiChatProvider openAi, OpenAiResponsesProvider openAiResponses, MockChatProvider mock, AnthropicMessagesProvider anthropic, GeminiProvider gemini)
{
    public IChatProvider? ChatFor(ProviderType type, ApiFamily client) => type switch
    {
        ProviderType.OpenAi or ProviderType.OpenAiCompatible or ProviderType.Vllm => client == ApiFamily.OpenAiResponses ? openAiResponses : openAi,
        ProviderType.AzureOpenAi => openAi,
        ProviderType.Mock => mock,
        ProviderType.Anthropic => anthropic,
        ProviderType.Gemini => gemini,
        _ => null,
    };

    /// <summary>Whether a provider of this type gets the client's body as sent rather than a translation.</summary>
    public static bool SpeaksNatively(ProviderType type, ApiFamily client) => client switch
    {
        ApiFamily.Anthropic => type == ProviderType.Anthropic,
        ApiFamily.Gemini => type == ProviderType.Gemini,
        ApiFamily.OpenAiResponses => type is ProviderType.OpenAi or ProviderType.OpenAiCompatible or ProviderType.Vllm,
        ApiFamily.Odock => false,
        _ => type is not (ProviderType.Anthropic or ProviderType.Gemini),
    };
}
