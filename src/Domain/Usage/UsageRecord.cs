using Odock.Domain.Models;

namespace Odock.Domain.Usage;

/// <summary>
/// One governed call, written for every request the gateway answers, including refused and failed ones (with their
/// status and error code), so the ledger is complete. Attribution is denormalised at the time of the call: renaming a
/// team later does not rewrite history.
/// </summary>
public sealed record UsageRecord
{
    public required Guid Id { get; init; }

    /// <summary>The request id returned to the client (idempotency key of the ledger).</summary>
    public required string RequestId { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required UsageKind Kind { get; init; }

    public required Guid OrganisationId { get; init; }

    public Guid? TeamId { get; init; }

    public Guid? UserId { get; init; }

    public Guid? ApiKeyId { get; init; }

    /// <summary>The API surface called (<c>openai.chat_completions</c>, <c>anthropic.messages</c>, <c>gemini.generate_content</c>, <c>mcp.tools_call</c>).</summary>
    public required string Endpoint { get; init; }

    /// <summary>The model name the client asked for, as sent.</summary>
    public string? RequestedModel { get; init; }

    /// <summary>The model that served the call (differs from the requested one after a fallback).</summary>
    public Guid? ModelId { get; init; }

    public string? ModelName { get; init; }

    public Guid? ProviderId { get; init; }

    public string? UpstreamSlug { get; init; }

    public Guid? McpServerId { get; init; }

    public string? ToolName { get; init; }

    public required int HttpStatus { get; init; }

    /// <summary>Why a call was refused or failed (<c>budget_exceeded</c>, <c>upstream_timeout</c>...), null on success.</summary>
    public string? ErrorCode { get; init; }

    public bool Streamed { get; init; }

    public required long LatencyMs { get; init; }

    /// <summary>Milliseconds from the start of the upstream call to the provider's first byte (time to first token); null when no call was made.</summary>
    public long? TimeToFirstTokenMs { get; init; }

    /// <summary>Who the failure belongs to (see <see cref="UsageErrorClassifier"/>); null on success.</summary>
    public UsageErrorClass? ErrorClass { get; init; }

    /// <summary>The client went away before the answer was complete; the upstream call was cancelled and still recorded.</summary>
    public bool ClientDisconnected { get; init; }

    /// <summary>The token counts are the gateway's estimate (the provider never reported usage, e.g. a stream cut short).</summary>
    public bool TokensEstimated { get; init; }

    /// <summary>How many upstream attempts routing made (fallbacks and retries included); null when the call was never routed.</summary>
    public int? RoutingAttempts { get; init; }

    public TokenUsage Tokens { get; init; }

    public required decimal Cost { get; init; }

    public required string Currency { get; init; }

    /// <summary>
    /// Cost per component, as charged, on a row the gateway records. The ledger writer spells it as
    /// <see cref="CostBreakdownJson"/> when it writes the row, off the request's path. Null on a row read back from the
    /// ledger, which carries the JSON.
    /// </summary>
    public CostBreakdown? CostBreakdown
    {
        get => _costs?.Breakdown;
        init => _costs = value is null && _costs?.Json is null ? null : new ChargedCosts(value, _costs?.Json);
    }

    /// <summary>Cost per component as JSON, as charged: as read from the ledger, or else spelled from <see cref="CostBreakdown"/>.</summary>
    public string? CostBreakdownJson
    {
        get => _costs?.Text;
        init => _costs = value is null && _costs?.Breakdown is null ? null : new ChargedCosts(_costs?.Breakdown, value);
    }

    // One field for both spellings, so that a row the gateway recorded (the breakdown) equals the same row read back
    // from the ledger (its JSON): the record's equality compares what the two spell.
    private readonly ChargedCosts? _costs;

    /// <summary>The provider's own usage object, verbatim.</summary>
    public string? ProviderUsageJson { get; init; }

    /// <summary>Routing decisions (attempts, targets tried, why each failed) as JSON, when routing was involved.</summary>
    public string? RoutingJson { get; init; }
}

/// <summary>
/// A row's cost components, held as the gateway computed them or as the ledger stored them. Two are equal when they
/// spell the same JSON.
/// </summary>
internal sealed class ChargedCosts(CostBreakdown? breakdown, string? json) : IEquatable<ChargedCosts>
{
    public CostBreakdown? Breakdown { get; } = breakdown;

    public string? Json { get; } = json;

    /// <summary>The stored JSON when there is one, else the breakdown's spelling.</summary>
    public string? Text => Json ?? Breakdown?.ToJson();

    public bool Equals(ChargedCosts? other) => other is not null && string.Equals(Text, other.Text, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as ChargedCosts);

    public override int GetHashCode() => Text is { } text ? StringComparer.Ordinal.GetHashCode(text) : 0;
}
