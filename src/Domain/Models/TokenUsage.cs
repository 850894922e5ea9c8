namespace Odock.Domain.Models;

/// <summary>
/// What one call consumed, in the units prices are quoted in. <see cref="InputTokens"/> includes cached and
/// cache-write tokens (as OpenAI reports them); <see cref="OutputTokens"/> includes reasoning tokens;
/// <see cref="CacheWriteTokens"/> includes <see cref="CacheWriteOneHourTokens"/>.
/// </summary>
public readonly record struct TokenUsage
{
    public long InputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written with Anthropic's one-hour time to live (dearer than the five-minute default).</summary>
    public long CacheWriteOneHourTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    /// <summary>Images generated; one call asks for one size and one quality, so they share a price.</summary>
    public long Images { get; init; }

    /// <summary>The generated images' size as the provider names it (<c>1024x1024</c>); null when not reported.</summary>
    public string? ImageSize { get; init; }

    /// <summary>The generated images' quality as the provider names it (<c>high</c>, <c>standard</c>, <c>hd</c>); null when not reported.</summary>
    public string? ImageQuality { get; init; }

    /// <summary>Seconds of audio sent to the model (transcription, audio input).</summary>
    public decimal AudioSeconds { get; init; }

    /// <summary>Seconds of audio the model produced (speech, audio output).</summary>
    public decimal AudioOutputSeconds { get; init; }

    /// <summary>Characters of text turned into speech (text-to-speech models are priced per 1,000 characters).</summary>
    public long Characters { get; init; }

    /// <summary>Calls the provider made to its own tools (web search, file search…), priced per call; null when none.</summary>
    public HostedToolCalls? HostedToolCalls { get; init; }

    public long TotalTokens => InputTokens + OutputTokens;
}
