using Odock.Domain.Models;

namespace Odock.Domain.Pricing;

/// <summary>
/// Providers report overlapping counts (input includes cached and cache-write tokens, output includes reasoning);
/// this splits them into disjoint parts so no token is charged twice, trusting the totals when the parts overrun them.
/// </summary>
internal readonly record struct TokenSplit(long PlainInput, long CachedInput, long CacheWrite, long CacheWriteOneHour, long PlainOutput, long Reasoning)
{
    public static TokenSplit Of(TokenUsage usage)
    {
        var input = Math.Max(usage.InputTokens, 0);
        var cached = Math.Clamp(usage.CachedInputTokens, 0, input);
        var cacheWrite = Math.Clamp(usage.CacheWriteTokens, 0, input - cached);
        var oneHour = Math.Clamp(usage.CacheWriteOneHourTokens, 0, cacheWrite);
        var output = Math.Max(usage.OutputTokens, 0);
        var reasoning = Math.Clamp(usage.ReasoningTokens, 0, output);
        return new TokenSplit(input - cached - cacheWrite, cached, cacheWrite - oneHour, oneHour, output - reasoning, reasoning);
    }
}
