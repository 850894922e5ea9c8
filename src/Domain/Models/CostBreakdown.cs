namespace Odock.Domain.Models;

/// <summary>The cost of one call by price component; <see cref="Total"/> is what budgets are charged.</summary>
public sealed record CostBreakdown(
    string Currency,
    decimal Input,
    decimal CachedInput,
    decimal CacheWrite,
    decimal Output,
    decimal Reasoning,
    decimal Request,
    decimal Images,
    decimal Audio)
{
    public decimal Total => Input + CachedInput + CacheWrite + Output + Reasoning + Request + Images + Audio;
}
