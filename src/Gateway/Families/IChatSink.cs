using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>
/// Where a provider adapter writes its answer. Adapters speak OpenAI chat (the internal lingua franca); the sink
/// writes what the client's family expects, translating completions and stream chunks one by one, never buffering a
/// stream whole.
/// </summary>
internal interface IChatSink
{
    /// <summary>The client's response, for a provider of the client's own family that relays its answer untranslated.</summary>
    HttpResponse Response { get; }

    /// <summary>A whole (non-streamed) OpenAI chat completion.</summary>
    Task WriteCompletionAsync(ReadOnlyMemory<byte> completion, CancellationToken cancellationToken);

    Task StartStreamAsync(CancellationToken cancellationToken);

    /// <summary>One OpenAI <c>chat.completion.chunk</c>, including the usage-only final chunk.</summary>
    Task WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken);

    Task EndStreamAsync(CancellationToken cancellationToken);

    /// <summary>The provider refused the request: an OpenAI-shaped error body and its status.</summary>
    Task WriteProviderErrorAsync(int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);

    Task WriteErrorAsync(GatewayError error);
}
