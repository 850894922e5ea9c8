using Odock.Domain.Models;
using Odock.Domain.Pricing;

namespace Odock.Domain.Tests.Pricing;

/// <summary>Every price type against amounts worked out by hand (shown beside each expectation).</summary>
public sealed class PricingEngineTests
{
    private static readonly ModelPricing Prices = new()
    {
        Currency = "USD",
        InputPerMillion = 3m,
        CachedInputPerMillion = 0.30m,
        CacheWritePerMillion = 3.75m,
        CacheWriteOneHourPerMillion = 6m,
        OutputPerMillion = 15m,
        ReasoningPerMillion = 20m,
        EmbeddingPerMillion = 0.02m,
        PerRequest = 0.002m,
        PerImage = 0.04m,
        ImagePrices = new Dictionary<string, decimal> { ["1024x1024/high"] = 0.167m, ["1024x1024"] = 0.042m, ["1536x1024/high"] = 0.25m },
        AudioInputPerSecond = 0.0001m,
        AudioOutputPerSecond = 0.0004m,
        PerThousandCharacters = 0.015m,
        HostedToolPrices = new Dictionary<string, decimal> { ["web_search"] = 0.01m, ["file_search"] = 0.0025m },
    };

    [Fact]
    public void Input_tokens_are_priced_per_million()
    {
        var cost = Cost(new TokenUsage { InputTokens = 2_000 });

        Assert.Equal(0.006m, cost.Input); // 2,000 x 3 / 1,000,000
        Assert.Equal(0.006m + 0.002m, cost.Total);
    }

    [Fact]
    public void Output_tokens_are_priced_per_million()
    {
        var cost = Cost(new TokenUsage { OutputTokens = 1_000 });

        Assert.Equal(0.015m, cost.Output); // 1,000 x 15 / 1,000,000
    }

    [Fact]
    public void Cached_input_is_taken_out_of_input_and_priced_at_the_cache_read_rate()
    {
        var cost = Cost(new TokenUsage { InputTokens = 10_000, CachedInputTokens = 4_000 });

        Assert.Equal(0.018m, cost.Input); // 6,000 x 3 / 1M
        Assert.Equal(0.0012m, cost.CachedInput); // 4,000 x 0.30 / 1M
    }

    [Fact]
    public void Cache_writes_are_priced_at_the_five_minute_and_one_hour_rates()
    {
        var cost = Cost(new TokenUsage { InputTokens = 10_000, CacheWriteTokens = 3_000, CacheWriteOneHourTokens = 1_000 });

        Assert.Equal(0.021m, cost.Input); // 7,000 x 3 / 1M
        Assert.Equal(0.0075m, cost.CacheWrite); // 2,000 x 3.75 / 1M
        Assert.Equal(0.006m, cost.CacheWriteOneHour); // 1,000 x 6 / 1M
    }

    [Fact]
    public void One_hour_cache_writes_fall_back_to_the_cache_write_rate_then_the_input_rate()
    {
        var usage = new TokenUsage { InputTokens = 1_000, CacheWriteTokens = 1_000, CacheWriteOneHourTokens = 1_000 };

        Assert.Equal(0.00375m, (Prices with { CacheWriteOneHourPerMillion = null }).Cost(usage).CacheWriteOneHour);
        Assert.Equal(0.003m, (Prices with { CacheWriteOneHourPerMillion = null, CacheWritePerMillion = null }).Cost(usage).CacheWriteOneHour);
    }

    [Fact]
    public void Reasoning_tokens_are_taken_out_of_output_and_priced_at_the_reasoning_rate()
    {
        var cost = Cost(new TokenUsage { OutputTokens = 5_000, ReasoningTokens = 2_000 });

        Assert.Equal(0.045m, cost.Output); // 3,000 x 15 / 1M
        Assert.Equal(0.04m, cost.Reasoning); // 2,000 x 20 / 1M
    }

    [Fact]
    public void Every_call_pays_the_per_request_price()
    {
        var cost = Cost(new TokenUsage());

        Assert.Equal(0.002m, cost.Request);
        Assert.Equal(0.002m, cost.Total);
    }

    [Fact]
    public void Images_are_priced_by_size_and_quality_then_by_size_then_by_default()
    {
        Assert.Equal(0.501m, Cost(new TokenUsage { Images = 3, ImageSize = "1024x1024", ImageQuality = "HIGH" }).Images); // 3 x 0.167
        Assert.Equal(0.084m, Cost(new TokenUsage { Images = 2, ImageSize = "1024x1024", ImageQuality = "medium" }).Images); // 2 x 0.042
        Assert.Equal(0.04m, Cost(new TokenUsage { Images = 1, ImageSize = "512x512", ImageQuality = "high" }).Images);
        Assert.Equal(0.08m, Cost(new TokenUsage { Images = 2 }).Images);
    }

    [Fact]
    public void Audio_in_and_out_are_priced_per_second()
    {
        var cost = Cost(new TokenUsage { AudioSeconds = 90.5m, AudioOutputSeconds = 12m });

        Assert.Equal(0.00905m, cost.Audio); // 90.5 x 0.0001
        Assert.Equal(0.0048m, cost.AudioOutput); // 12 x 0.0004
    }

    [Fact]
    public void Audio_input_quoted_per_minute_is_exact_for_odd_seconds()
    {
        var whisper = new ModelPricing { Currency = "USD", PerAudioMinute = 0.006m };

        Assert.Equal(0.0007m, whisper.Cost(new TokenUsage { AudioSeconds = 7m }, ModelType.Transcription).Audio); // 7 x 0.006 / 60
    }

    [Fact]
    public void Speech_is_priced_per_thousand_characters()
    {
        var cost = Cost(new TokenUsage { Characters = 2_500 }, ModelType.Tts);

        Assert.Equal(0.0375m, cost.Characters); // 2,500 x 0.015 / 1,000
    }

    [Fact]
    public void Embedding_models_price_input_tokens_at_the_embedding_rate()
    {
        var cost = Cost(new TokenUsage { InputTokens = 50_000 }, ModelType.Embeddings);

        Assert.Equal(0.001m, cost.Embeddings); // 50,000 x 0.02 / 1M
        Assert.Equal(0m, cost.Input);
        Assert.Equal(0.001m + 0.002m, cost.Total);
        Assert.Equal(0.15m, (Prices with { EmbeddingPerMillion = null }).Cost(new TokenUsage { InputTokens = 50_000 }, ModelType.Embeddings).Embeddings);
    }

    [Fact]
    public void Worst_case_takes_the_dearest_input_output_and_image_rates()
    {
        var worst = PricingEngine.WorstCase(Prices, new TokenUsage { InputTokens = 10_000, OutputTokens = 2_000, Images = 1 }, ModelType.Chat);

        Assert.Equal(0.06m, worst.Input); // 10,000 x 6 (one-hour cache write) / 1M
        Assert.Equal(0.04m, worst.Output); // 2,000 x 20 (reasoning) / 1M
        Assert.Equal(0.25m, worst.Images); // the dearest listed image
        Assert.Equal(0.352m, worst.Total); // + 0.002 per request
    }

    [Fact]
    public void An_image_models_worst_case_holds_the_output_tokens_every_image_may_bill()
    {
        var byToken = new ModelPricing { Currency = "USD", InputPerMillion = 5m, OutputPerMillion = 40m };
        var estimate = new TokenUsage { InputTokens = 100, Images = 2 };

        Assert.Equal(2 * PricingEngine.DefaultOutputTokensPerImage * 40m / 1_000_000m, PricingEngine.WorstCase(byToken, estimate, ModelType.Image).Output);
        Assert.Equal(0.3328m, PricingEngine.WorstCase(byToken with { OutputTokensPerImage = 4_160 }, estimate, ModelType.Image).Output); // 2 x 4,160 x 40 / 1M
        Assert.Equal(0m, PricingEngine.WorstCase(byToken, estimate, ModelType.Chat).Output);
        Assert.Equal(0m, PricingEngine.WorstCase(new ModelPricing { Currency = "USD", PerImage = 0.04m }, estimate, ModelType.Image).Output);

        // The dearest image the default covers, billed in full, still fits the reservation.
        var billed = new TokenUsage { InputTokens = 100, OutputTokens = 2 * PricingEngine.DefaultOutputTokensPerImage, Images = 2 };
        Assert.Equal(PricingEngine.WorstCase(byToken, estimate, ModelType.Image).Total, byToken.Cost(billed, ModelType.Image).Total);
    }

    [Fact]
    public void Output_tokens_per_image_must_be_positive()
    {
        var problem = Assert.Single(new ModelPricing { Currency = "USD", OutputTokensPerImage = 0 }.Validate());

        Assert.Equal("output_tokens_per_image", problem.Field);
        Assert.Empty(new ModelPricing { Currency = "USD", OutputTokensPerImage = 6_240 }.Validate());
    }

    [Theory]
    [InlineData(0, 0, 0, 0)]
    [InlineData(4_000, 0, 0, 1_000)]
    [InlineData(0, 6_000, 6_000, 2_000)]
    [InlineData(2_000, 3_000, 1_000, 2_000)]
    public void No_split_of_the_estimated_tokens_costs_more_than_the_worst_case(long cached, long cacheWrite, long oneHour, long reasoning)
    {
        var estimate = new TokenUsage { InputTokens = 10_000, OutputTokens = 2_000 };
        var actual = estimate with { CachedInputTokens = cached, CacheWriteTokens = cacheWrite, CacheWriteOneHourTokens = oneHour, ReasoningTokens = reasoning };

        Assert.True(Cost(actual).Total <= PricingEngine.WorstCase(Prices, estimate, ModelType.Chat).Total);
    }

    [Fact]
    public void Overlapping_counts_never_charge_a_token_twice()
    {
        var cost = Cost(new TokenUsage { InputTokens = 100, CachedInputTokens = 80, CacheWriteTokens = 80, CacheWriteOneHourTokens = 500, OutputTokens = 10, ReasoningTokens = 50 });

        Assert.Equal(0.000024m, cost.CachedInput); // 80 x 0.30 / 1M
        Assert.Equal(0.00012m, cost.CacheWriteOneHour); // the 20 left, all one-hour: 20 x 6 / 1M
        Assert.Equal(0m, cost.Input + cost.CacheWrite + cost.Output);
        Assert.Equal(0.0002m, cost.Reasoning); // 10 x 20 / 1M
    }

    [Fact]
    public void Hosted_tool_calls_are_priced_per_call_by_tool_and_an_unlisted_tool_is_free()
    {
        var calls = HostedToolCalls.Of([new("web_search", 3), new("file_search", 2), new("code_interpreter", 4)]);

        var cost = Cost(new TokenUsage { HostedToolCalls = calls });

        Assert.Equal(0.035m, cost.HostedTools); // 3 x 0.01 + 2 x 0.0025, code_interpreter not listed
        Assert.Equal(0.035m + 0.002m, cost.Total);
        Assert.Contains("\"hosted_tools\":0.035", cost.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_worst_case_prices_each_tools_most_calls()
    {
        var worst = PricingEngine.WorstCase(Prices, new TokenUsage { HostedToolCalls = HostedToolCalls.Of([new("web_search", 10), new("file_search", 4)]) }, ModelType.Chat);

        Assert.Equal(0.11m, worst.HostedTools); // 10 x 0.01 + 4 x 0.0025
    }

    [Fact]
    public void Hosted_tool_prices_need_plain_tool_names_and_no_negative_price()
    {
        var problems = new ModelPricing { Currency = "USD", HostedToolPrices = new Dictionary<string, decimal> { ["web_search_20250305 "] = 0.01m, ["file_search"] = -1m } }.Validate();

        Assert.Equal(["hosted_tool_prices.file_search", "hosted_tool_prices.web_search_20250305 "], problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.False(new ModelPricing { Currency = "USD", HostedToolPrices = new Dictionary<string, decimal> { ["web_search"] = 0.01m } }.IsFree);
    }

    [Fact]
    public void Hosted_tool_counts_merge_by_name_drop_zeros_and_compare_by_content()
    {
        var calls = HostedToolCalls.Of([new("web_search", 2), new("file_search", 0), new("web_search", 1)]);

        Assert.Equal(3, calls!.Total);
        Assert.Equal(3, calls["web_search"]);
        Assert.Equal(0, calls["file_search"]);
        Assert.Equal(HostedToolCalls.Of("web_search", 3), calls);
        Assert.NotEqual(HostedToolCalls.Of("web_search", 2), calls);
        Assert.Null(HostedToolCalls.Of("web_search", 0));
    }

    private static CostBreakdown Cost(TokenUsage usage, ModelType type = ModelType.Chat) => PricingEngine.Cost(Prices, usage, type);
}
