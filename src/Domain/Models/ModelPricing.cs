using System.Text.RegularExpressions;
using Odock.Domain.Common;
using Odock.Domain.Pricing;

namespace Odock.Domain.Models;

/// <summary>
/// One set of prices for a model, per million tokens unless named otherwise, in effect from <see cref="EffectiveFrom"/>
/// until the next entry of the model's <see cref="ModelPriceSchedule"/>. Cached and cache-write input are priced
/// separately when set, else at the input price; reasoning output at the reasoning price when set, else at the output
/// price. <see cref="PricingEngine"/> holds the arithmetic.
/// </summary>
public sealed partial record ModelPricing
{
    private static readonly IReadOnlyDictionary<string, decimal> NoPrices = new Dictionary<string, decimal>();

    private readonly IReadOnlyDictionary<string, decimal> _imagePrices = NoPrices;

    private readonly IReadOnlyDictionary<string, decimal> _hostedToolPrices = NoPrices;

    public static ModelPricing Free { get; } = new() { Currency = "USD" };

    public required string Currency { get; init; }

    /// <summary>When these prices start to apply; null on a schedule's first entry means "since the beginning".</summary>
    public DateTimeOffset? EffectiveFrom { get; init; }

    public decimal InputPerMillion { get; init; }

    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>Writing input to the prompt cache (Anthropic's five-minute time to live).</summary>
    public decimal? CacheWritePerMillion { get; init; }

    /// <summary>Writing input to the prompt cache with the one-hour time to live; falls back to <see cref="CacheWritePerMillion"/>.</summary>
    public decimal? CacheWriteOneHourPerMillion { get; init; }

    public decimal OutputPerMillion { get; init; }

    public decimal? ReasoningPerMillion { get; init; }

    /// <summary>For embedding models: price per million input tokens (falls back to <see cref="InputPerMillion"/>).</summary>
    public decimal? EmbeddingPerMillion { get; init; }

    public decimal PerRequest { get; init; }

    /// <summary>Price of one generated image whose size and quality <see cref="ImagePrices"/> does not list.</summary>
    public decimal PerImage { get; init; }

    /// <summary>Price of one generated image by <c>size/quality</c> (<c>1024x1024/high</c>) or by size alone (<c>1024x1024</c>).</summary>
    /// <remarks>A serializer that passes null for a missing member gets the empty map, so older stored prices read safely.</remarks>
    public IReadOnlyDictionary<string, decimal> ImagePrices
    {
        get => _imagePrices;
        init => _imagePrices = value ?? NoPrices;
    }

    /// <summary>
    /// For image models that bill generated images as output tokens (GPT Image models): the most output tokens one
    /// image may bill. The worst case reserves this many per image asked for; unset, it reserves
    /// <see cref="PricingEngine.DefaultOutputTokensPerImage"/>. Ignored for chat models.
    /// </summary>
    public long? OutputTokensPerImage { get; init; }

    /// <summary>Input audio priced per minute, as transcription models are quoted; exclusive with <see cref="AudioInputPerSecond"/>.</summary>
    public decimal PerAudioMinute { get; init; }

    public decimal? AudioInputPerSecond { get; init; }

    public decimal AudioOutputPerSecond { get; init; }

    /// <summary>Text-to-speech: price per 1,000 characters of input text.</summary>
    public decimal PerThousandCharacters { get; init; }

    /// <summary>
    /// The price of one call of a provider's own tool, by the tool's name without its version (<c>web_search</c>,
    /// <c>file_search</c>, <c>code_interpreter</c>, <c>web_fetch</c>, <c>google_search</c>). A tool not listed is free.
    /// </summary>
    /// <remarks>A serializer that passes null for a missing member gets the empty map, so older stored prices read safely.</remarks>
    public IReadOnlyDictionary<string, decimal> HostedToolPrices
    {
        get => _hostedToolPrices;
        init => _hostedToolPrices = value ?? NoPrices;
    }

    public bool IsFree => InputPerMillion == 0 && OutputPerMillion == 0 && (CachedInputPerMillion ?? 0) == 0 && (CacheWritePerMillion ?? 0) == 0
        && (CacheWriteOneHourPerMillion ?? 0) == 0 && (ReasoningPerMillion ?? 0) == 0 && (EmbeddingPerMillion ?? 0) == 0 && PerRequest == 0
        && PerImage == 0 && ImagePrices.Values.All(price => price == 0) && PerAudioMinute == 0 && (AudioInputPerSecond ?? 0) == 0
        && AudioOutputPerSecond == 0 && PerThousandCharacters == 0 && HostedToolPrices.Values.All(price => price == 0);

    /// <summary>The cost of <paramref name="usage"/> at these prices, itemised, in <see cref="Currency"/>.</summary>
    public CostBreakdown Cost(TokenUsage usage, ModelType type = ModelType.Chat) => PricingEngine.Cost(this, usage, type);

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator();
        Money.ValidateCurrency(validator, "currency", Currency);
        validator.NotNegative("input_per_million", InputPerMillion)
            .NotNegative("cached_input_per_million", CachedInputPerMillion ?? 0)
            .NotNegative("cache_write_per_million", CacheWritePerMillion ?? 0)
            .NotNegative("cache_write_one_hour_per_million", CacheWriteOneHourPerMillion ?? 0)
            .NotNegative("output_per_million", OutputPerMillion)
            .NotNegative("reasoning_per_million", ReasoningPerMillion ?? 0)
            .NotNegative("embedding_per_million", EmbeddingPerMillion ?? 0)
            .NotNegative("per_request", PerRequest)
            .NotNegative("per_image", PerImage)
            .NotNegative("per_audio_minute", PerAudioMinute)
            .NotNegative("audio_input_per_second", AudioInputPerSecond ?? 0)
            .NotNegative("audio_output_per_second", AudioOutputPerSecond)
            .NotNegative("per_thousand_characters", PerThousandCharacters);
        if (OutputTokensPerImage is < 1)
        {
            validator.Add("output_tokens_per_image", "must be a positive number of tokens");
        }

        if (PerAudioMinute != 0 && AudioInputPerSecond is not null)
        {
            validator.Add("audio_input_per_second", "set either per_audio_minute or audio_input_per_second, not both");
        }

        foreach (var (variant, price) in ImagePrices)
        {
            if (!ImageVariantPattern().IsMatch(variant))
            {
                validator.Add($"image_prices.{variant}", "must be a size ('1024x1024' or 'auto'), optionally followed by '/' and a quality ('1024x1024/high')");
            }

            validator.NotNegative($"image_prices.{variant}", price);
        }

        foreach (var (tool, price) in HostedToolPrices)
        {
            if (!HostedToolNamePattern().IsMatch(tool))
            {
                validator.Add($"hosted_tool_prices.{tool}", "must be a tool's name without its version, in lower case ('web_search', 'file_search', 'google_search')");
            }

            validator.NotNegative($"hosted_tool_prices.{tool}", price);
        }

        return validator.Problems;
    }

    public bool Equals(ModelPricing? other) => other is not null && Currency == other.Currency && EffectiveFrom == other.EffectiveFrom
        && InputPerMillion == other.InputPerMillion && CachedInputPerMillion == other.CachedInputPerMillion
        && CacheWritePerMillion == other.CacheWritePerMillion && CacheWriteOneHourPerMillion == other.CacheWriteOneHourPerMillion
        && OutputPerMillion == other.OutputPerMillion && ReasoningPerMillion == other.ReasoningPerMillion && EmbeddingPerMillion == other.EmbeddingPerMillion
        && PerRequest == other.PerRequest && PerImage == other.PerImage && PerAudioMinute == other.PerAudioMinute
        && AudioInputPerSecond == other.AudioInputPerSecond && AudioOutputPerSecond == other.AudioOutputPerSecond
        && PerThousandCharacters == other.PerThousandCharacters && OutputTokensPerImage == other.OutputTokensPerImage
        && SamePrices(ImagePrices, other.ImagePrices) && SamePrices(HostedToolPrices, other.HostedToolPrices);

    public override int GetHashCode() => HashCode.Combine(Currency, EffectiveFrom, InputPerMillion, OutputPerMillion, PerRequest, ImagePrices.Count);

    private static bool SamePrices(IReadOnlyDictionary<string, decimal> left, IReadOnlyDictionary<string, decimal> right) =>
        left.Count == right.Count && left.All(pair => right.TryGetValue(pair.Key, out var price) && price == pair.Value);

    [GeneratedRegex("^([0-9]+x[0-9]+|auto)(/[a-z0-9_-]+)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageVariantPattern();

    [GeneratedRegex("^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex HostedToolNamePattern();
}
