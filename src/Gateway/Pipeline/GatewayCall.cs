using System.Diagnostics;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Gateway.Families;
using Odock.Gateway.Resolution;
using Odock.Grains.ApiKeys;
using Odock.Grains.Governance;

namespace Odock.Gateway.Pipeline;

/// <summary>One admitted request as it goes through governance: what is known about it so far, for its ledger row.</summary>
internal sealed class GatewayCall(IApiSurface surface, string requestId, DateTimeOffset occurredAt, long started, Admission admission)
{
    public IApiSurface Surface { get; } = surface;

    public string RequestId { get; } = requestId;

    /// <summary>When the request arrived, by the gateway's clock: the instant whose prices it is reserved and charged at.</summary>
    public DateTimeOffset OccurredAt { get; } = occurredAt;

    /// <summary>When the gateway first saw the request (a <see cref="Stopwatch"/> timestamp).</summary>
    public long Started { get; } = started;

    public Admission Admission { get; } = admission;

    public KeyGrant Grant => Admission.Grant!;

    public string? RequestedModel { get; set; }

    /// <summary>The client's address, for the model's <c>ip_allow</c> and <c>ip_block</c>.</summary>
    public System.Net.IPAddress? ClientAddress { get; init; }

    /// <summary>The body's length as read, for the model's <c>max_payload_bytes</c>.</summary>
    public long BodyBytes { get; set; }

    public bool Streamed { get; set; }

    public ResolvedModel? Target { get; set; }

    /// <remarks>
    /// The row's id and the request id are time-ordered (UUID version 7), so the ledger's unique indexes on them grow at
    /// their right edge: a batch of rows dirties a few index pages instead of one random page per row per index, which
    /// on SQLite was most of the bytes each commit wrote (docs/BENCHMARKS.md, "Fourth round").
    /// </remarks>
    /// <param name="timeToFirstTokenMs">When the provider's first byte came, for forwarded calls.</param>
    /// <param name="tokensEstimated">The tokens are the gateway's estimate (a stream cut short, a provider silent on usage).</param>
    public UsageRecord ToRecord(int status, string? errorCode, TokenUsage tokens, CostBreakdown cost, string? providerUsage, long? timeToFirstTokenMs = null, bool tokensEstimated = false) => new()
    {
        Id = TimeOrderedId.Create(OccurredAt),
        RequestId = RequestId,
        OccurredAt = OccurredAt,
        Kind = UsageKind.Model,
        OrganisationId = Grant.OrganisationId,
        TeamId = Grant.TeamId,
        UserId = Grant.UserId,
        ApiKeyId = Grant.KeyId,
        Endpoint = Surface.Endpoint,
        RequestedModel = RequestedModel,
        ModelId = Target?.Model.Id,
        ModelName = Target?.Model.Name,
        ProviderId = Target?.Provider.Id,
        UpstreamSlug = Target?.Model.UpstreamSlug,
        HttpStatus = status,
        ErrorCode = errorCode,
        ErrorClass = UsageErrorClassifier.Classify(status, errorCode),
        Streamed = Streamed,
        LatencyMs = (long)Stopwatch.GetElapsedTime(Started).TotalMilliseconds,
        Tokens = tokens,
        Cost = cost.Total,
        Currency = cost.Currency,
        CostBreakdown = cost,
        ProviderUsageJson = providerUsage,
        TimeToFirstTokenMs = timeToFirstTokenMs,
        TokensEstimated = tokensEstimated,
        ClientDisconnected = status == 499,
    };
}
