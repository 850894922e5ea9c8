namespace Odock.Domain.Models;

/// <summary>
/// What one call consumed, in the units prices are quoted in. <see cref="InputTokens"/> includes cached and
/// cache-write tokens (as OpenAI reports them); <see cref="OutputTokens"/> includes reasoning tokens.
/// </summary>
public readonly record struct TokenUsage
{
    public long InputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long Images { get; init; }

    public decimal AudioSeconds { get; init; }

    public long TotalTokens => InputTokens + OutputTokens;
}
