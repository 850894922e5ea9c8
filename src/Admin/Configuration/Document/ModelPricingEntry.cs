namespace Odock.Admin.Configuration.Document;

/// <summary>A model's prices, per million tokens unless named otherwise.</summary>
public sealed class ModelPricingEntry
{
    public string Currency { get; set; } = "USD";

    public decimal InputPerMillion { get; set; }

    public decimal? CachedInputPerMillion { get; set; }

    public decimal? CacheWritePerMillion { get; set; }

    public decimal OutputPerMillion { get; set; }

    public decimal? ReasoningPerMillion { get; set; }

    public decimal? EmbeddingPerMillion { get; set; }

    public decimal PerRequest { get; set; }

    public decimal PerImage { get; set; }

    public decimal PerAudioMinute { get; set; }
}
