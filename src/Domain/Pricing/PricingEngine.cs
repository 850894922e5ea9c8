using Odock.Domain.Models;

namespace Odock.Domain.Pricing;

/// <summary>
/// The one place usage turns into money: the charge of a finished call and the worst case reserved before it. Both read
/// the same rates with the same fall-backs, so a reservation can never be computed from prices the charge ignores.
/// </summary>
public static class PricingEngine
{
    private const decimal Million = 1_000_000m;

    /// <summary>
    /// The output tokens reserved per image for an image model whose prices name no
    /// <see cref="ModelPricing.OutputTokensPerImage"/>: GPT Image 1's largest published count (1024x1536 at high quality).
    /// </summary>
    public const long DefaultOutputTokensPerImage = 6_240;

    /// <summary>What <paramref name="usage"/> costs at <paramref name="prices"/>, one amount per price component.</summary>
    public static CostBreakdown Cost(ModelPricing prices, TokenUsage usage, ModelType type)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var split = TokenSplit.Of(usage);
        var inputRate = InputRate(prices, type);
        var plainInput = PerMillion(split.PlainInput, inputRate);

        return new CostBreakdown(
            prices.Currency,
            Input: type == ModelType.Embeddings ? 0m : plainInput,
            CachedInput: PerMillion(split.CachedInput, prices.CachedInputPerMillion ?? inputRate),
            CacheWrite: PerMillion(split.CacheWrite, CacheWriteRate(prices, inputRate)),
            Output: PerMillion(split.PlainOutput, prices.OutputPerMillion),
            Reasoning: PerMillion(split.Reasoning, prices.ReasoningPerMillion ?? prices.OutputPerMillion),
            Request: prices.PerRequest,
            Images: NonNegative(usage.Images) * ImageRate(prices, usage.ImageSize, usage.ImageQuality),
            Audio: AudioInput(prices, usage.AudioSeconds),
            CacheWriteOneHour: PerMillion(split.CacheWriteOneHour, CacheWriteOneHourRate(prices, inputRate)),
            AudioOutput: NonNegative(usage.AudioOutputSeconds) * prices.AudioOutputPerSecond,
            Characters: NonNegative(usage.Characters) * prices.PerThousandCharacters / 1_000m,
            Embeddings: type == ModelType.Embeddings ? plainInput : 0m,
            HostedTools: HostedTools(prices, usage.HostedToolCalls));
    }

    /// <summary>
    /// The most <paramref name="estimate"/> can cost at <paramref name="prices"/>: every input token at the dearest input
    /// rate (a provider may bill any of it as a cache write), every output token at the dearest output rate (any of it
    /// may be reasoning), and images at the dearest image price when the estimate names no size. An image model may
    /// also bill each image as output tokens, so its worst case adds the most one image may bill for every image. The
    /// estimate's hosted tool calls are the most the request lets the provider make, each at its tool's price.
    /// </summary>
    public static CostBreakdown WorstCase(ModelPricing prices, TokenUsage estimate, ModelType type)
    {
        ArgumentNullException.ThrowIfNull(prices);
        var inputRate = InputRate(prices, type);
        var dearestInput = Math.Max(inputRate, Math.Max(prices.CachedInputPerMillion ?? 0m,
            Math.Max(CacheWriteRate(prices, inputRate), CacheWriteOneHourRate(prices, inputRate))));
        var dearestOutput = Math.Max(prices.OutputPerMillion, prices.ReasoningPerMillion ?? 0m);
        var imageRate = estimate.ImageSize is null ? DearestImageRate(prices) : ImageRate(prices, estimate.ImageSize, estimate.ImageQuality);
        var input = PerMillion(NonNegative(estimate.InputTokens), dearestInput);
        var outputTokens = NonNegative(estimate.OutputTokens) + (type == ModelType.Image ? NonNegative(estimate.Images) * OutputTokensPerImage(prices) : 0);

        return new CostBreakdown(
            prices.Currency,
            Input: type == ModelType.Embeddings ? 0m : input,
            CachedInput: 0m,
            CacheWrite: 0m,
            Output: PerMillion(outputTokens, dearestOutput),
            Reasoning: 0m,
            Request: prices.PerRequest,
            Images: NonNegative(estimate.Images) * imageRate,
            Audio: AudioInput(prices, estimate.AudioSeconds),
            AudioOutput: NonNegative(estimate.AudioOutputSeconds) * prices.AudioOutputPerSecond,
            Characters: NonNegative(estimate.Characters) * prices.PerThousandCharacters / 1_000m,
            Embeddings: type == ModelType.Embeddings ? input : 0m,
            HostedTools: HostedTools(prices, estimate.HostedToolCalls));
    }

    /// <summary>The price of one call of the provider's tool <paramref name="name"/>; zero for a tool the prices do not list.</summary>
    public static decimal HostedToolRate(ModelPricing prices, string name)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return prices.HostedToolPrices.TryGetValue(name, out var price) ? price : 0m;
    }

    /// <summary>Each tool's calls at its own price.</summary>
    private static decimal HostedTools(ModelPricing prices, HostedToolCalls? calls)
    {
        var total = 0m;
        if (calls is not null && prices.HostedToolPrices.Count > 0)
        {
            foreach (var (name, count) in calls.Counts)
            {
                total += count * HostedToolRate(prices, name);
            }
        }

        return total;
    }

    /// <summary>The most output tokens one image of an image model may bill: its prices' own figure, else the default.</summary>
    public static long OutputTokensPerImage(ModelPricing prices)
    {
        ArgumentNullException.ThrowIfNull(prices);
        return prices.OutputTokensPerImage ?? DefaultOutputTokensPerImage;
    }

    /// <summary>The price of one image: by size and quality, else by size alone, else the default per image.</summary>
    public static decimal ImageRate(ModelPricing prices, string? size, string? quality)
    {
        ArgumentNullException.ThrowIfNull(prices);
        if (size is null)
        {
            return prices.PerImage;
        }

        var sizeKey = size.ToLowerInvariant();
        if (quality is not null && prices.ImagePrices.TryGetValue($"{sizeKey}/{quality.ToLowerInvariant()}", out var exact))
        {
            return exact;
        }

        return prices.ImagePrices.TryGetValue(sizeKey, out var bySize) ? bySize : prices.PerImage;
    }

    private static decimal DearestImageRate(ModelPricing prices) =>
        prices.ImagePrices.Values.Aggregate(prices.PerImage, Math.Max);

    private static decimal InputRate(ModelPricing prices, ModelType type) =>
        type == ModelType.Embeddings ? prices.EmbeddingPerMillion ?? prices.InputPerMillion : prices.InputPerMillion;

    private static decimal CacheWriteRate(ModelPricing prices, decimal inputRate) => prices.CacheWritePerMillion ?? inputRate;

    private static decimal CacheWriteOneHourRate(ModelPricing prices, decimal inputRate) =>
        prices.CacheWriteOneHourPerMillion ?? CacheWriteRate(prices, inputRate);

    // Multiplying before dividing keeps per-minute prices exact: 7 s at 0.006/min is 0.0007, not a rounded sixtieth.
    private static decimal AudioInput(ModelPricing prices, decimal seconds) =>
        prices.AudioInputPerSecond is { } perSecond ? NonNegative(seconds) * perSecond : NonNegative(seconds) * prices.PerAudioMinute / 60m;

    private static decimal PerMillion(long tokens, decimal price) => tokens * price / Million;

    private static long NonNegative(long value) => Math.Max(value, 0);

    private static decimal NonNegative(decimal value) => Math.Max(value, 0m);
}
