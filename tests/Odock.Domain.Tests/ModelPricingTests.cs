using Odock.Domain.Models;

namespace Odock.Domain.Tests;

public sealed class ModelPricingTests
{
    private static readonly ModelPricing Pricing = new()
    {
        Currency = "USD",
        InputPerMillion = 2.50m,
        CachedInputPerMillion = 1.25m,
        OutputPerMillion = 10m,
        ReasoningPerMillion = 12m,
        PerRequest = 0.001m,
    };

    [Fact]
    public void Cost_prices_each_token_class_at_its_own_rate()
    {
        var cost = Pricing.Cost(new TokenUsage { InputTokens = 1_000_000, CachedInputTokens = 200_000, OutputTokens = 500_000, ReasoningTokens = 100_000 });

        Assert.Equal(2.00m, cost.Input);
        Assert.Equal(0.25m, cost.CachedInput);
        Assert.Equal(4.00m, cost.Output);
        Assert.Equal(1.20m, cost.Reasoning);
        Assert.Equal(7.451m, cost.Total);
    }

    [Fact]
    public void Unset_cached_and_reasoning_prices_fall_back_to_input_and_output()
    {
        var pricing = new ModelPricing { Currency = "EUR", InputPerMillion = 1m, OutputPerMillion = 4m };

        var cost = pricing.Cost(new TokenUsage { InputTokens = 3_000, CachedInputTokens = 1_000, OutputTokens = 2_000, ReasoningTokens = 2_000 });

        Assert.Equal(0.003m + 0.008m, cost.Total);
    }

    [Fact]
    public void Cost_is_exact_in_decimal_for_tiny_calls()
    {
        var cost = Pricing.Cost(new TokenUsage { InputTokens = 7, OutputTokens = 3 });

        Assert.Equal(0.0000175m + 0.00003m + 0.001m, cost.Total);
    }

    [Fact]
    public void Negative_prices_and_unknown_currencies_are_refused_by_field()
    {
        var problems = (Pricing with { Currency = "usd", OutputPerMillion = -1m }).Validate();

        Assert.Equal(["currency", "output_per_million"], problems.Select(p => p.Field));
    }
}
