using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Gateway.Errors;
using Odock.Gateway.Families;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Chat;

/// <summary>
/// A chat request parsed once at the edge, in the internal form: an OpenAI chat body (as sent by OpenAI clients, or
/// translated from another family), the model name the client asked for, streaming, the output limit, and an
/// estimate of its input tokens. <see cref="NativeBody"/> keeps a non-OpenAI client's body as sent, for providers of
/// the same family, which get it untranslated.
/// </summary>
internal sealed class ChatRequest : IDisposable
{
    private JsonObject? _body;

    public required ApiFamily Family { get; init; }

    /// <summary>
    /// The internal body as a tree: as built by a translating parser, or, for a body sent in OpenAI's format
    /// (<see cref="Document"/>), made from the document when first asked for. Nothing changes it after parsing: each
    /// provider call writes its own copy with its edits (<see cref="Providers.OpenAi.OpenAiUpstreamBody"/>), so an
    /// attempt that falls back to another model sends nothing of the attempt before it.
    /// </summary>
    public JsonObject Body
    {
        get => _body ??= JsonObject.Create(Document?.RootElement ?? throw new InvalidOperationException("The request has neither a body nor a document."))!;
        init => _body = value;
    }

    /// <summary>
    /// The client's body as parsed, when it was sent in OpenAI's format: an OpenAI-format provider gets these bytes
    /// with its edits, and no tree is built. The request owns it; <see cref="Dispose"/> returns its buffers.
    /// </summary>
    public JsonDocument? Document { get; init; }

    /// <summary>The document, while no tree has been made from it (the two say the same until someone edits the tree).</summary>
    public JsonElement? UntouchedDocument => _body is null ? Document?.RootElement : null;

    public JsonObject? NativeBody { get; init; }

    /// <summary>Headers a same-family provider should see as the client sent them (for example <c>anthropic-version</c>).</summary>
    public IReadOnlyDictionary<string, string> NativeHeaders { get; init; } = FrozenDictionary<string, string>.Empty;

    public required string Model { get; init; }

    /// <summary>Chat completions, or the legacy text completions (vLLM, OpenAI-compatible servers) served the same way.</summary>
    public UpstreamOperation Operation { get; init; } = UpstreamOperation.ChatCompletions;

    public bool Stream { get; init; }

    /// <summary>The client asked for the usage chunk at the end of a stream (<c>stream_options.include_usage</c>).</summary>
    public bool ClientWantsStreamUsage { get; init; }

    /// <summary><c>max_completion_tokens</c> or <c>max_tokens</c>, when the client set one.</summary>
    public long? MaxOutputTokens { get; init; }

    /// <summary>The most answers one request may ask a provider for (<see cref="Choices"/>).</summary>
    public const int MaxChoices = 128;

    /// <summary>
    /// How many answers the provider is asked for: OpenAI's <c>n</c>, Gemini's <c>candidateCount</c>; for the legacy
    /// completions, the larger of <c>n</c> and <c>best_of</c> for each prompt in <c>prompt</c>. Each may use the whole
    /// output limit and each is billed, so the worst case reserves the limit that many times
    /// (<see cref="Pipeline.CallPlan.ForChat"/>).
    /// </summary>
    public int Choices { get; init; } = 1;

    /// <summary>
    /// The index an answer in a provider's reply names (its <c>index</c>, from 0 to below <see cref="MaxChoices"/>), or
    /// else its place among the answers: an OpenAI choice or a Gemini candidate.
    /// </summary>
    public static int AnswerIndex(JsonElement answer, int place) =>
        answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("index", out var index) && index.TryGetInt32(out var number) && number is >= 0 and < MaxChoices
            ? number
            : place;

    /// <summary>The prompts a legacy completions request sends in one batch (<c>prompt</c> as an array); 1 otherwise.</summary>
    public int Prompts { get; init; } = 1;

    public long EstimatedInputTokens { get; init; }

    /// <summary>The provider's own tools the request turns on, whose calls are billed apart from tokens; null when none.</summary>
    public HostedToolUse? HostedTools { get; init; }

    /// <summary>
    /// Why <see cref="Body"/> cannot stand for <see cref="NativeBody"/> (something only the client's own family
    /// understands), or null. A provider of that family gets the native body; every other refuses with this error.
    /// </summary>
    public GatewayError? Untranslatable { get; init; }

    /// <summary>Ends the request: its tree, if made from the document, must not be read after this.</summary>
    public void Dispose() => Document?.Dispose();
}
