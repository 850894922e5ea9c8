namespace Odock.Gateway.Providers;

/// <summary>What an OpenAI-format call asks the provider for; each is one path of the OpenAI (or vLLM) API.</summary>
internal enum UpstreamOperation
{
    ChatCompletions,
    Completions,
    Embeddings,
    ImageGenerations,
    Rerank,
    Tokenize,
    Detokenize,
    Responses,
}
