namespace Odock.Domain.Models;

/// <summary>
/// The cost of one call by price component; <see cref="Total"/> is what budgets are charged. <see cref="Audio"/> is
/// audio input; the components after it were added later and default to zero so older callers keep compiling.
/// </summary>
public sealed record CostBreakdown(
    string Currency,
    decimal Input,
    decimal CachedInput,
    decimal CacheWrite,
    decimal Output,
    decimal Reasoning,
    decimal Request,
    decimal Images,
    decimal Audio,
    decimal CacheWriteOneHour = 0m,
    decimal AudioOutput = 0m,
    decimal Characters = 0m,
    decimal Embeddings = 0m)
{
    public decimal Total => Input + CachedInput + CacheWrite + CacheWriteOneHour + Output + Reasoning + Request + Images + Audio + AudioOutput
        + Characters + Embeddings;

    public static CostBreakdown Zero(string currency) => new(currency, 0m, 0m, 0m, 0m, 0m, 0m, 0m, 0m);
}
