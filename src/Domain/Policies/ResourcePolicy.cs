using System.Net;
using Odock.Domain.Common;

namespace Odock.Domain.Policies;

/// <summary>
/// Runtime guardrails attached to a virtual API key, a model or an MCP server: who may connect (IP lists), how big a
/// request may be, and how fast traffic may flow. Every limit is optional; an unset limit does not restrict.
/// </summary>
public sealed record ResourcePolicy
{
    public static ResourcePolicy None { get; } = new();

    /// <summary>CIDR ranges allowed to call; empty allows every address not blocked.</summary>
    public IReadOnlyList<string> IpAllow { get; init; } = [];

    /// <summary>CIDR ranges refused; checked before <see cref="IpAllow"/>.</summary>
    public IReadOnlyList<string> IpBlock { get; init; } = [];

    public long? MaxPayloadBytes { get; init; }

    /// <summary>Largest <c>max_tokens</c> (output) a single request may ask for.</summary>
    public long? MaxTokensPerRequest { get; init; }

    public long? RequestsPerSecond { get; init; }

    public long? RequestsPerMinute { get; init; }

    public long? RequestsPerHour { get; init; }

    public long? RequestsPerDay { get; init; }

    public long? TokensPerMinute { get; init; }

    public long? TokensPerDay { get; init; }

    /// <summary>Requests in flight at once.</summary>
    public long? MaxConcurrency { get; init; }

    public bool IsEmpty => this == None || Equals(None);

    /// <summary>
    /// True when a request rate, a token rate or a concurrency cap is set: the limits that need live counters. A
    /// model without any is not counted at all, so the gateway skips its counter calls.
    /// </summary>
    public bool LimitsTraffic =>
        RequestsPerSecond is > 0 || RequestsPerMinute is > 0 || RequestsPerHour is > 0 || RequestsPerDay is > 0
        || TokensPerMinute is > 0 || TokensPerDay is > 0 || MaxConcurrency is not null;

    /// <summary>True when <paramref name="address"/> may connect: not in a blocked range, and in an allowed one if any are set.</summary>
    public bool AllowsAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return AddressRanges.Of(this).Allows(address);
    }

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator();
        CheckRanges(validator, "ip_allow", IpAllow);
        CheckRanges(validator, "ip_block", IpBlock);
        validator.Positive("max_payload_bytes", MaxPayloadBytes)
            .Positive("max_tokens_per_request", MaxTokensPerRequest)
            .Positive("requests_per_second", RequestsPerSecond)
            .Positive("requests_per_minute", RequestsPerMinute)
            .Positive("requests_per_hour", RequestsPerHour)
            .Positive("requests_per_day", RequestsPerDay)
            .Positive("tokens_per_minute", TokensPerMinute)
            .Positive("tokens_per_day", TokensPerDay)
            .Positive("max_concurrency", MaxConcurrency);
        return validator.Problems;
    }

    public bool Equals(ResourcePolicy? other) =>
        other is not null
        && IpAllow.SequenceEqual(other.IpAllow)
        && IpBlock.SequenceEqual(other.IpBlock)
        && MaxPayloadBytes == other.MaxPayloadBytes
        && MaxTokensPerRequest == other.MaxTokensPerRequest
        && RequestsPerSecond == other.RequestsPerSecond
        && RequestsPerMinute == other.RequestsPerMinute
        && RequestsPerHour == other.RequestsPerHour
        && RequestsPerDay == other.RequestsPerDay
        && TokensPerMinute == other.TokensPerMinute
        && TokensPerDay == other.TokensPerDay
        && MaxConcurrency == other.MaxConcurrency;

    public override int GetHashCode() => HashCode.Combine(IpAllow.Count, IpBlock.Count, MaxPayloadBytes, RequestsPerSecond, RequestsPerMinute, TokensPerMinute, MaxConcurrency);

    private static void CheckRanges(Validator validator, string field, IReadOnlyList<string> ranges)
    {
        for (var i = 0; i < ranges.Count; i++)
        {
            if (!IPNetwork.TryParse(ranges[i], out _))
            {
                validator.Add($"{field}[{i}]", $"'{ranges[i]}' is not a CIDR range (for example 10.0.0.0/8 or ::1/128)");
            }
        }
    }
}
