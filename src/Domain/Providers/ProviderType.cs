using Odock.Domain.Common;

namespace Odock.Domain.Providers;

/// <summary>The upstream API family a provider speaks.</summary>
public enum ProviderType
{
    [WireName("openai")]
    OpenAi,
    [WireName("azure_openai")]
    AzureOpenAi,
    Anthropic,
    Gemini,
    Vllm,
    /// <summary>Any server speaking the OpenAI API (Ollama, LM Studio, llama.cpp, TGI...).</summary>
    [WireName("openai_compatible")]
    OpenAiCompatible,
    /// <summary>Built in: answers deterministically without a network, for offline demos and tests.</summary>
    Mock,
}
