using System.Text.Json.Nodes;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Operations;

/// <summary>
/// A non-chat model call parsed once at the edge: embeddings, image generation, rerank, tokenize or detokenize.
/// <see cref="Body"/> is the OpenAI-format body (as an OpenAI client sent it, or translated from a Gemini client's);
/// <see cref="NativeBody"/> keeps a Gemini client's body as sent, for Gemini providers, which get it untranslated.
/// </summary>
internal sealed class OperationRequest
{
    public required UpstreamOperation Operation { get; init; }

    public required string Model { get; init; }

    public required JsonObject Body { get; init; }

    public JsonObject? NativeBody { get; init; }

    /// <summary>The Gemini method a native body was sent to (<c>embedContent</c> or <c>batchEmbedContents</c>).</summary>
    public string? NativeMethod { get; init; }

    /// <summary>Tokens in what the call sends: the reservation before the provider counts, and the charge when it never says.</summary>
    public long EstimatedInputTokens { get; init; }

    /// <summary>Embeddings: the inputs, in order.</summary>
    public PromptInput? Input { get; init; }

    /// <summary>Embeddings: the client asked for base64-encoded float32 vectors rather than JSON numbers.</summary>
    public bool Base64 { get; init; }

    /// <summary>Embeddings: the vector length asked for, when the client set one.</summary>
    public int? Dimensions { get; init; }

    /// <summary>Image generation: how many images are asked for (<c>n</c>, 1 when unset).</summary>
    public int ImageCount { get; init; } = 1;
}
