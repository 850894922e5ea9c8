using System.Text.Json.Serialization;
using Odock.Domain.Usage;

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

    /// <summary>The sums; the properties that show its parts read and set them by the names the admin API and the SQL use.</summary>
    [JsonIgnore]
    public UsageQuantities Quantities { get; init; }

    public long Requests { get => Quantities.Calls; init => Quantities = Quantities with { Calls = value }; }

    /// <summary>Requests answered with a status of 400 or more.</summary>
    public long FailedRequests { get; init; }

    public long InputTokens { get => Quantities.InputTokens; init => Quantities = Quantities with { InputTokens = value }; }

    public long CachedInputTokens { get => Quantities.CachedInputTokens; init => Quantities = Quantities with { CachedInputTokens = value }; }

    public long CacheWriteTokens { get => Quantities.CacheWriteTokens; init => Quantities = Quantities with { CacheWriteTokens = value }; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written with the one-hour time to live.</summary>
    public long CacheWriteOneHourTokens { get => Quantities.CacheWriteOneHourTokens; init => Quantities = Quantities with { CacheWriteOneHourTokens = value }; }

    public long OutputTokens { get => Quantities.OutputTokens; init => Quantities = Quantities with { OutputTokens = value }; }

    public long ReasoningTokens { get => Quantities.ReasoningTokens; init => Quantities = Quantities with { ReasoningTokens = value }; }

    public long Images { get => Quantities.Images; init => Quantities = Quantities with { Images = value }; }

    /// <summary>Seconds of audio sent to models.</summary>
    public decimal AudioSeconds { get => Quantities.AudioSeconds; init => Quantities = Quantities with { AudioSeconds = value }; }

    /// <summary>Seconds of audio models generated.</summary>
    public decimal AudioOutputSeconds { get => Quantities.AudioOutputSeconds; init => Quantities = Quantities with { AudioOutputSeconds = value }; }

    /// <summary>Characters of text turned into speech.</summary>
    public long Characters { get => Quantities.Characters; init => Quantities = Quantities with { Characters = value }; }

    /// <summary>Calls providers made to their own tools (web search, file search…), whatever the tool.</summary>
    public long HostedToolCalls { get => Quantities.HostedToolCalls; init => Quantities = Quantities with { HostedToolCalls = value }; }

    public decimal Cost { get => Quantities.Cost; init => Quantities = Quantities with { Cost = value }; }
}
