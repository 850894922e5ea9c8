using Odock.Domain.Common;

namespace Odock.Domain.Models;

/// <summary>
/// Prices on a model record, per million tokens unless named otherwise. Cost follows the model that actually served a
/// call. Cached and cache-write input are priced separately when set, else at the input price; reasoning output at
/// the reasoning price when set, else at the output price.
/// </summary>
public sealed record ModelPricing
{
    public static ModelPricing Free { get; } = new() { Currency = "USD" };

    public required string Currency { get; init; }

    public decimal InputPerMillion { get; init; }

    public decimal? CachedInputPerMillion { get; init; }

    public decimal? CacheWritePerMillion { get; init; }

    public decimal OutputPerMillion { get; init; }

    public decimal? ReasoningPerMillion { get; init; }

    /// <summary>For embedding models: price per million input tokens (falls back to <see cref="InputPerMillion"/>).</summary>
    public decimal? EmbeddingPerMillion { get; init; }

    public decimal PerRequest { get; init; }

    public decimal PerImage { get; init; }

    public decimal PerAudioMinute { get; init; }

    public bool IsFree => InputPerMillion == 0 && OutputPerMillion == 0 && (CachedInputPerMillion ?? 0) == 0 && (CacheWritePerMillion ?? 0) == 0
        && (ReasoningPerMillion ?? 0) == 0 && (EmbeddingPerMillion ?? 0) == 0 && PerRequest == 0 && PerImage == 0 && PerAudioMinute == 0;

    /// <summary>The cost of <paramref name="usage"/>, itemised, in <see cref="Currency"/>.</summary>
    public CostBreakdown Cost(TokenUsage usage, ModelType type = ModelType.Chat)
    {
        var cached = Math.Min(usage.CachedInputTokens, usage.InputTokens);
        var cacheWrite = Math.Min(usage.CacheWriteTokens, usage.InputTokens - cached);
        var plainInput = usage.InputTokens - cached - cacheWrite;
        var reasoning = Math.Min(usage.ReasoningTokens, usage.OutputTokens);
        var plainOutput = usage.OutputTokens - reasoning;
        var inputPrice = type == ModelType.Embeddings ? EmbeddingPerMillion ?? InputPerMillion : InputPerMillion;

        return new CostBreakdown(
            Currency,
            Input: PerMillion(plainInput, inputPrice),
            CachedInput: PerMillion(cached, CachedInputPerMillion ?? inputPrice),
            CacheWrite: PerMillion(cacheWrite, CacheWritePerMillion ?? inputPrice),
            Output: PerMillion(plainOutput, OutputPerMillion),
            Reasoning: PerMillion(reasoning, ReasoningPerMillion ?? OutputPerMillion),
            Request: PerRequest,
            Images: usage.Images * PerImage,
            Audio: usage.AudioSeconds / 60m * PerAudioMinute);
    }

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator();
        Money.ValidateCurrency(validator, "currency", Currency);
        validator.NotNegative("input_per_million", InputPerMillion)
            .NotNegative("cached_input_per_million", CachedInputPerMillion ?? 0)
            .NotNegative("cache_write_per_million", CacheWritePerMillion ?? 0)
            .NotNegative("output_per_million", OutputPerMillion)
            .NotNegative("reasoning_per_million", ReasoningPerMillion ?? 0)
            .NotNegative("embedding_per_million", EmbeddingPerMillion ?? 0)
            .NotNegative("per_request", PerRequest)
            .NotNegative("per_image", PerImage)
            .NotNegative("per_audio_minute", PerAudioMinute);
        return validator.Problems;
    }

    private static decimal PerMillion(long tokens, decimal price) => tokens * price / 1_000_000m;
}
