using System.Text.Json;
using Odock.Domain.Usage;

namespace Odock.Admin.Api.Usage;

/// <summary>
/// One ledger row as the admin API shows it: attribution, what was called, outcome, every priced quantity, and the cost
/// with its breakdown by price component (<c>{"currency":"USD","input":0.018,"hosted_tools":0.03}</c>), so a row
/// explains its own charge.
/// </summary>
internal sealed record UsageRecordResponse(
    Guid Id, string RequestId, DateTimeOffset OccurredAt, UsageKind Kind, Guid OrganisationId, Guid? TeamId, Guid? UserId, Guid? ApiKeyId,
    string Endpoint, string? RequestedModel, Guid? ModelId, string? ModelName, Guid? ProviderId, string? UpstreamSlug, Guid? McpServerId,
    string? ToolName, int HttpStatus, string? ErrorCode, UsageErrorClass? ErrorClass, bool Streamed, long LatencyMs, long? TimeToFirstTokenMs,
    bool ClientDisconnected, bool TokensEstimated, long InputTokens, long CachedInputTokens, long CacheWriteTokens, long CacheWriteOneHourTokens,
    long OutputTokens, long ReasoningTokens, long Images, string? ImageSize, string? ImageQuality, decimal AudioSeconds, decimal AudioOutputSeconds,
    long Characters, long HostedToolCalls, decimal Cost, string Currency, JsonElement? CostBreakdown)
{
    public static UsageRecordResponse Of(UsageRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var tokens = record.Tokens;
        return new UsageRecordResponse(
            record.Id, record.RequestId, record.OccurredAt, record.Kind, record.OrganisationId, record.TeamId, record.UserId, record.ApiKeyId,
            record.Endpoint, record.RequestedModel, record.ModelId, record.ModelName, record.ProviderId, record.UpstreamSlug, record.McpServerId,
            record.ToolName, record.HttpStatus, record.ErrorCode, record.ErrorClass, record.Streamed, record.LatencyMs, record.TimeToFirstTokenMs,
            record.ClientDisconnected, record.TokensEstimated, tokens.InputTokens, tokens.CachedInputTokens, tokens.CacheWriteTokens, tokens.CacheWriteOneHourTokens,
            tokens.OutputTokens, tokens.ReasoningTokens, tokens.Images, tokens.ImageSize, tokens.ImageQuality, tokens.AudioSeconds, tokens.AudioOutputSeconds,
            tokens.Characters, tokens.HostedToolCalls?.Total ?? 0, record.Cost, record.Currency, Breakdown(record.CostBreakdownJson));
    }

    /// <summary>The stored breakdown as JSON; null for a row without one, or one no longer readable.</summary>
    private static JsonElement? Breakdown(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
