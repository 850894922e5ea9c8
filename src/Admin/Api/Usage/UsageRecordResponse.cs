using Odock.Domain.Usage;

namespace Odock.Admin.Api.Usage;

/// <summary>One ledger row as the admin API shows it: attribution, what was called, outcome, tokens and cost.</summary>
internal sealed record UsageRecordResponse(
    Guid Id, string RequestId, DateTimeOffset OccurredAt, UsageKind Kind, Guid OrganisationId, Guid? TeamId, Guid? UserId, Guid? ApiKeyId,
    string Endpoint, string? RequestedModel, Guid? ModelId, string? ModelName, Guid? ProviderId, string? UpstreamSlug, Guid? McpServerId,
    string? ToolName, int HttpStatus, string? ErrorCode, UsageErrorClass? ErrorClass, bool Streamed, long LatencyMs, long? TimeToFirstTokenMs,
    bool ClientDisconnected, bool TokensEstimated, long InputTokens, long CachedInputTokens, long CacheWriteTokens, long OutputTokens,
    long ReasoningTokens, decimal Cost, string Currency)
{
    public static UsageRecordResponse Of(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tokens = record.Tokens;
        return new UsageRecordResponse(
            record.Id, record.RequestId, record.OccurredAt, record.Kind, record.OrganisationId, record.TeamId, record.UserId, record.ApiKeyId,
            record.Endpoint, record.RequestedModel, record.ModelId, record.ModelName, record.ProviderId, record.UpstreamSlug, record.McpServerId,
            record.ToolName, record.HttpStatus, record.ErrorCode, record.ErrorClass, record.Streamed, record.LatencyMs, record.TimeToFirstTokenMs,
            record.ClientDisconnected, record.TokensEstimated, tokens.InputTokens, tokens.CachedInputTokens, tokens.CacheWriteTokens, tokens.OutputTokens,
            tokens.ReasoningTokens, record.Cost, record.Currency);
    }
}
