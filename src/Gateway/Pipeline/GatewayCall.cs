using System.Diagnostics;
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

    public bool Streamed { get; set; }

    public ResolvedModel? Target { get; set; }

    public UsageRecord ToRecord(int status, string? errorCode, TokenUsage tokens, CostBreakdown cost, string? providerUsage) => new()
    {
        Id = Guid.NewGuid(),
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
        Streamed = Streamed,
        LatencyMs = (long)Stopwatch.GetElapsedTime(Started).TotalMilliseconds,
        Tokens = tokens,
        Cost = cost.Total,
        Currency = cost.Currency,
        ProviderUsageJson = providerUsage,
    };
}
