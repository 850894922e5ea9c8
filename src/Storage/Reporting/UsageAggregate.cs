namespace Odock.Storage.Reporting;

/// <summary>
/// The totals of one bucket and group. A dimension not grouped by is null here; one grouped by is null for the rows
/// that have none (a key without a team). Money is per currency, never summed across currencies.
/// </summary>
public sealed record UsageAggregate
{
    public required DateTimeOffset BucketStart { get; init; }

    public Guid? TeamId { get; init; }

    public Guid? UserId { get; init; }

    public Guid? ApiKeyId { get; init; }

    public Guid? ModelId { get; init; }

    public Guid? ProviderId { get; init; }

    public int? HttpStatus { get; init; }

    public string? Endpoint { get; init; }

    public required string Currency { get; init; }

    public long Requests { get; init; }

    /// <summary>Requests answered with a status of 400 or more.</summary>
    public long FailedRequests { get; init; }

    public long InputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written with the one-hour time to live.</summary>
    public long CacheWriteOneHourTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long Images { get; init; }

    /// <summary>Seconds of audio sent to models.</summary>
    public decimal AudioSeconds { get; init; }

    /// <summary>Seconds of audio models generated.</summary>
    public decimal AudioOutputSeconds { get; init; }

    /// <summary>Characters of text turned into speech.</summary>
    public long Characters { get; init; }

    public decimal Cost { get; init; }
}
