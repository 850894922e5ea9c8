namespace Odock.Domain.Usage;

/// <summary>
/// What a set of ledger rows adds up to: how many calls, what they consumed (in the units of
/// <see cref="Models.TokenUsage"/>) and what they cost. Usage reports, invoice summaries and invoice lines all sum
/// through <c>+</c>, so a new quantity is added here once. Costs in different currencies are never added: callers sum
/// within one currency.
/// </summary>
public readonly record struct UsageQuantities
{
    public static UsageQuantities Zero => default;

    /// <summary>Ledger rows counted, one per governed call: a model request or an MCP tool call.</summary>
    public long Calls { get; init; }

    public long InputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written with the one-hour time to live.</summary>
    public long CacheWriteOneHourTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long Images { get; init; }

    /// <summary>Seconds of audio sent to models.</summary>
    public decimal AudioSeconds { get; init; }

    /// <summary>Seconds of audio models generated.</summary>
    public decimal AudioOutputSeconds { get; init; }

    /// <summary>Characters of text turned into speech.</summary>
    public long Characters { get; init; }

    /// <summary>Calls providers made to their own tools (web search, file search…), whatever the tool.</summary>
    public long HostedToolCalls { get; init; }

    /// <summary>What the calls were charged, exactly, in the currency of whatever was summed.</summary>
    public decimal Cost { get; init; }

    public static UsageQuantities operator +(UsageQuantities left, UsageQuantities right) => new()
    {
        Calls = left.Calls + right.Calls,
        InputTokens = left.InputTokens + right.InputTokens,
        CachedInputTokens = left.CachedInputTokens + right.CachedInputTokens,
        CacheWriteTokens = left.CacheWriteTokens + right.CacheWriteTokens,
        CacheWriteOneHourTokens = left.CacheWriteOneHourTokens + right.CacheWriteOneHourTokens,
        OutputTokens = left.OutputTokens + right.OutputTokens,
        ReasoningTokens = left.ReasoningTokens + right.ReasoningTokens,
        Images = left.Images + right.Images,
        AudioSeconds = left.AudioSeconds + right.AudioSeconds,
        AudioOutputSeconds = left.AudioOutputSeconds + right.AudioOutputSeconds,
        Characters = left.Characters + right.Characters,
        HostedToolCalls = left.HostedToolCalls + right.HostedToolCalls,
        Cost = left.Cost + right.Cost,
    };

    public static UsageQuantities Sum(IEnumerable<UsageQuantities> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Aggregate(Zero, (sum, value) => sum + value);
    }
}
