using System.Text.Json.Nodes;

namespace Odock.Gateway.Chat;

/// <summary>
/// An OpenAI-style chat request parsed once at the edge: the body (kept as sent, to forward it faithfully), the model
/// name the client asked for, streaming, the output limit it set, and an estimate of its input tokens.
/// </summary>
internal sealed class ChatRequest
{
    public required JsonObject Body { get; init; }

    public required string Model { get; init; }

    public bool Stream { get; init; }

    /// <summary>The client asked for the usage chunk at the end of a stream (<c>stream_options.include_usage</c>).</summary>
    public bool ClientWantsStreamUsage { get; init; }

    /// <summary><c>max_completion_tokens</c> or <c>max_tokens</c>, when the client set one.</summary>
    public long? MaxOutputTokens { get; init; }

    public long EstimatedInputTokens { get; init; }
}
