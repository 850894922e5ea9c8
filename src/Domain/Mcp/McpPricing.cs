using Odock.Domain.Common;

namespace Odock.Domain.Mcp;

/// <summary>What a tool call costs: a per-call default and per-tool overrides.</summary>
public sealed record McpPricing
{
    public static McpPricing Free { get; } = new() { Currency = "USD" };

    public required string Currency { get; init; }

    public decimal PerCall { get; init; }

    public IReadOnlyDictionary<string, decimal> Tools { get; init; } = new Dictionary<string, decimal>();

    public decimal CostOf(string toolName) => Tools.TryGetValue(toolName, out var price) ? price : PerCall;

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator();
        Money.ValidateCurrency(validator, "currency", Currency);
        validator.NotNegative("per_call", PerCall);
        foreach (var (tool, price) in Tools)
        {
            validator.NotNegative($"tools.{tool}", price);
        }

        return validator.Problems;
    }
}
