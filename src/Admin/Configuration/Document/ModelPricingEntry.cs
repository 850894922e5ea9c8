namespace Odock.Admin.Configuration.Document;

/// <summary>
/// A model's prices, per million tokens unless named otherwise: either the rates directly, or a <see cref="Schedule"/>
/// of dated entries (each shaped like this one, without a schedule of its own).
/// </summary>
public sealed class ModelPricingEntry
{
    /// <summary>ISO 4217; defaults to USD, and schedule entries default to their parent's.</summary>
    public string? Currency { get; set; }

    /// <summary>An ISO 8601 instant (<c>2026-12-01T00:00:00Z</c>) from which the entry applies; only inside a schedule.</summary>
    public string? EffectiveFrom { get; set; }

    public List<ModelPricingEntry>? Schedule { get; set; }

    public decimal InputPerMillion { get; set; }

    public decimal? CachedInputPerMillion { get; set; }

    public decimal? CacheWritePerMillion { get; set; }

    public decimal? CacheWriteOneHourPerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    public decimal? ReasoningPerMillion { get; set; }

    public decimal? EmbeddingPerMillion { get; set; }

    public decimal PerRequest { get; set; }

    public decimal PerImage { get; set; }

    /// <summary>Per image by <c>size/quality</c> or size; a key without a price is refused.</summary>
    public Dictionary<string, decimal?> ImagePrices { get; set; } = [];

    /// <summary>Image models billed by token: the most output tokens one image may bill (reserved per image).</summary>
    public long? OutputTokensPerImage { get; set; }

    public decimal PerAudioMinute { get; set; }

    public decimal? AudioInputPerSecond { get; set; }

    public decimal AudioOutputPerSecond { get; set; }

    public decimal PerThousandCharacters { get; set; }

    /// <summary>Per call of a provider's own tool, by the tool's name (<c>web_search</c>); a name without a price is refused.</summary>
    public Dictionary<string, decimal?> HostedToolPrices { get; set; } = [];

    /// <summary>True when any rate is written directly on this entry.</summary>
    public bool HasRates => InputPerMillion != 0 || CachedInputPerMillion is not null || CacheWritePerMillion is not null
        || CacheWriteOneHourPerMillion is not null || OutputPerMillion != 0 || ReasoningPerMillion is not null || EmbeddingPerMillion is not null
        || PerRequest != 0 || PerImage != 0 || ImagePrices.Count > 0 || OutputTokensPerImage is not null || PerAudioMinute != 0 || AudioInputPerSecond is not null
        || AudioOutputPerSecond != 0 || PerThousandCharacters != 0 || HostedToolPrices.Count > 0;
}
