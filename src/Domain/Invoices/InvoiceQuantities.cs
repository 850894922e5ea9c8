using System.Text.Json.Serialization;
using Odock.Domain.Usage;

namespace Odock.Domain.Invoices;

/// <summary>
/// The sums an invoice line, and each usage group it is built from, carry: one <see cref="UsageQuantities"/>, shown
/// part by part under the names invoices store and print (and storage selects) them by.
/// </summary>
public abstract record InvoiceQuantities
{
    [JsonIgnore]
    public UsageQuantities Quantities { get; init; }

    /// <summary>Requests (model lines) or tool calls (MCP lines) recorded.</summary>
    public long Calls { get => Quantities.Calls; init => Quantities = Quantities with { Calls = value }; }

    public long InputTokens { get => Quantities.InputTokens; init => Quantities = Quantities with { InputTokens = value }; }

    public long CachedInputTokens { get => Quantities.CachedInputTokens; init => Quantities = Quantities with { CachedInputTokens = value }; }

    public long CacheWriteTokens { get => Quantities.CacheWriteTokens; init => Quantities = Quantities with { CacheWriteTokens = value }; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written with the one-hour TTL; zero on lines stored before it was billed.</summary>
    public long CacheWriteOneHourTokens { get => Quantities.CacheWriteOneHourTokens; init => Quantities = Quantities with { CacheWriteOneHourTokens = value }; }

    public long OutputTokens { get => Quantities.OutputTokens; init => Quantities = Quantities with { OutputTokens = value }; }

    public long ReasoningTokens { get => Quantities.ReasoningTokens; init => Quantities = Quantities with { ReasoningTokens = value }; }

    public long Images { get => Quantities.Images; init => Quantities = Quantities with { Images = value }; }

    /// <summary>Seconds of audio input.</summary>
    public decimal AudioSeconds { get => Quantities.AudioSeconds; init => Quantities = Quantities with { AudioSeconds = value }; }

    /// <summary>Seconds of generated audio; zero on lines stored before it was billed.</summary>
    public decimal AudioOutputSeconds { get => Quantities.AudioOutputSeconds; init => Quantities = Quantities with { AudioOutputSeconds = value }; }

    /// <summary>Characters spoken (text to speech); zero on lines stored before it was billed.</summary>
    public long Characters { get => Quantities.Characters; init => Quantities = Quantities with { Characters = value }; }

    /// <summary>Calls providers made to their own tools, whatever the tool; zero on lines stored before they were billed.</summary>
    public long HostedToolCalls { get => Quantities.HostedToolCalls; init => Quantities = Quantities with { HostedToolCalls = value }; }

    /// <summary>The exact amount charged, never rounded; a stored line without one is refused rather than read as free.</summary>
    [JsonRequired]
    public decimal Amount { get => Quantities.Cost; init => Quantities = Quantities with { Cost = value }; }
}
