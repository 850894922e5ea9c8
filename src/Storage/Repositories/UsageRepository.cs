using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Storage.Connections;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Storage.Ledger;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class UsageRepository(SqlSession session) : IUsageRepository
{
    /// <summary>
    /// The one name a row read back counts its hosted tool calls under. The ledger keeps their total only: what they
    /// cost is the <c>hosted_tools</c> component of the cost breakdown, and the split by tool, where the provider reports
    /// one, is in its usage object. No tool can have this name (prices refuse it), so it is never mistaken for one.
    /// </summary>
    internal const string AllHostedTools = "*";

    internal static readonly TableMap<Row> Map = new("usage_records");
    private static readonly string InsertSql = Map.Insert + " ON CONFLICT (request_id, kind) DO NOTHING";

    public async Task<int> AppendAsync(IReadOnlyCollection<UsageRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);

        // On PostgreSQL the rows are stamped inside the ledger fence (LedgerFence), so they need a transaction;
        // SQLite stamps each insert under its write lock, whether or not a transaction is open.
        var own = session.Engine == StorageEngine.Postgres && session.Transaction is null
            ? await session.Connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        session.Transaction ??= own;
        try
        {
            if (session.Engine == StorageEngine.Postgres)
            {
                await session.ExecuteAsync(LedgerFence.EnterBatchSql, null, "usage record", cancellationToken).ConfigureAwait(false);
            }

            var inserted = 0;
            foreach (var record in records)
            {
                inserted += await session.ExecuteAsync(InsertSql, ToRow(record), "usage record", cancellationToken).ConfigureAwait(false);
            }

            if (own is not null)
            {
                await own.CommitAsync(cancellationToken).ConfigureAwait(false);
            }

            return inserted;
        }
        finally
        {
            if (own is not null)
            {
                session.Transaction = null;
                await own.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    public async Task<IReadOnlyList<UsageRecord>> ListAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var keyFilter = query.ApiKeyId is null ? string.Empty : " AND api_key_id = @ApiKeyId";
        var rows = await session.QueryAsync<Row>(
            $"{Map.Select} WHERE organisation_id = @OrganisationId AND occurred_at >= @From AND occurred_at < @To{keyFilter} ORDER BY occurred_at DESC, id LIMIT @Limit",
            new { query.OrganisationId, query.From, query.To, query.ApiKeyId, query.Limit },
            cancellationToken).ConfigureAwait(false);
        return rows.Select(ToEntity).ToArray();
    }

    public async Task<LedgerTotal> TotalAsync(LimitScope scope, Guid targetId, DateTimeOffset from, DateTimeOffset? to, CancellationToken cancellationToken = default)
    {
        var column = scope switch
        {
            LimitScope.Organisation => "organisation_id",
            LimitScope.Team => "team_id",
            LimitScope.User => "user_id",
            LimitScope.ApiKey => "api_key_id",
            _ => throw new ArgumentOutOfRangeException(nameof(scope), scope, null),
        };
        var window = $"{column} = @TargetId AND occurred_at >= @From" + (to is null ? string.Empty : " AND occurred_at < @To");
        var arguments = new { TargetId = targetId, From = from, To = to ?? DateTimeOffset.MaxValue };
        if (session.Transaction is not null)
        {
            throw new InvalidOperationException("A ledger total is taken outside a transaction: its watermark waits for open ledger batches.");
        }

        // Every row stamped before the watermark has committed by now, so the sums below see it (LedgerFence).
        var watermark = await LedgerFence.WatermarkAsync(session.Connection, session.Engine, cancellationToken).ConfigureAwait(false);
        var counted = " AND " + Counted(session.Engine);
        var totals = await session.QueryAsync<(long Served, long Tokens)>(
            $"SELECT COUNT(*), CAST(COALESCE(SUM(input_tokens + output_tokens), 0) AS BIGINT) FROM usage_records WHERE {window} AND http_status < 400{counted}",
            new { arguments.TargetId, arguments.From, arguments.To, Watermark = watermark },
            cancellationToken).ConfigureAwait(false);

        // SQLite keeps money as TEXT: sum the exact decimals here rather than let SQLite add them as doubles.
        var costs = session.Engine == StorageEngine.Postgres
            ? await session.QueryAsync<(string Currency, decimal Cost)>(
                $"SELECT currency, SUM(cost) FROM usage_records WHERE {window}{counted} GROUP BY currency",
                new { arguments.TargetId, arguments.From, arguments.To, Watermark = watermark },
                cancellationToken).ConfigureAwait(false)
            : (await session.QueryAsync<(string Currency, decimal Cost)>(
                $"SELECT currency, cost FROM usage_records WHERE {window}{counted}",
                new { arguments.TargetId, arguments.From, arguments.To, Watermark = watermark },
                cancellationToken).ConfigureAwait(false))
                .GroupBy(r => r.Currency, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(r => r.Cost))).ToArray();
        return new LedgerTotal(costs.ToDictionary(c => c.Currency, c => c.Cost, StringComparer.Ordinal), totals[0].Served, totals[0].Tokens, watermark);
    }

    public async Task<bool> IsCountedAsync(string requestId, string watermark, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentException.ThrowIfNullOrEmpty(watermark);
        return await session.ScalarAsync<long>(
            $"SELECT COUNT(*) FROM usage_records WHERE request_id = @RequestId AND {Counted(session.Engine)}",
            new { RequestId = requestId, Watermark = watermark },
            cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>The rows a total with this watermark counted: stamped strictly before it (see <see cref="LedgerFence"/>).</summary>
    private static string Counted(StorageEngine engine) =>
        engine == StorageEngine.Postgres ? "recorded_at < CAST(@Watermark AS timestamptz)" : "recorded_at < @Watermark";

    private static Row ToRow(UsageRecord record) => new()
    {
        Id = record.Id,
        RequestId = record.RequestId,
        OccurredAt = record.OccurredAt.ToUniversalTime(),
        Kind = WireName.Of(record.Kind),
        OrganisationId = record.OrganisationId,
        TeamId = record.TeamId,
        UserId = record.UserId,
        ApiKeyId = record.ApiKeyId,
        Endpoint = record.Endpoint,
        RequestedModel = record.RequestedModel,
        ModelId = record.ModelId,
        ModelName = record.ModelName,
        ProviderId = record.ProviderId,
        UpstreamSlug = record.UpstreamSlug,
        McpServerId = record.McpServerId,
        ToolName = record.ToolName,
        HttpStatus = record.HttpStatus,
        ErrorCode = record.ErrorCode,
        Streamed = record.Streamed,
        LatencyMs = record.LatencyMs,
        TimeToFirstTokenMs = record.TimeToFirstTokenMs,
        ErrorClass = record.ErrorClass is { } errorClass ? WireName.Of(errorClass) : null,
        ClientDisconnected = record.ClientDisconnected,
        TokensEstimated = record.TokensEstimated,
        RoutingAttempts = record.RoutingAttempts,
        InputTokens = record.Tokens.InputTokens,
        CachedInputTokens = record.Tokens.CachedInputTokens,
        CacheWriteTokens = record.Tokens.CacheWriteTokens,
        CacheWriteOneHourTokens = record.Tokens.CacheWriteOneHourTokens,
        OutputTokens = record.Tokens.OutputTokens,
        ReasoningTokens = record.Tokens.ReasoningTokens,
        Images = record.Tokens.Images,
        ImageSize = record.Tokens.ImageSize,
        ImageQuality = record.Tokens.ImageQuality,
        AudioSeconds = record.Tokens.AudioSeconds,
        AudioOutputSeconds = record.Tokens.AudioOutputSeconds,
        Characters = record.Tokens.Characters,
        HostedToolCalls = record.Tokens.HostedToolCalls?.Total ?? 0,
        Cost = record.Cost,
        Currency = record.Currency,
        CostBreakdown = record.CostBreakdownJson,
        ProviderUsage = record.ProviderUsageJson,
        Routing = record.RoutingJson,
    };

    internal static UsageRecord ToEntity(Row row) => new()
    {
        Id = row.Id,
        RequestId = row.RequestId,
        OccurredAt = row.OccurredAt,
        Kind = WireName.Parse<UsageKind>(row.Kind),
        OrganisationId = row.OrganisationId,
        TeamId = row.TeamId,
        UserId = row.UserId,
        ApiKeyId = row.ApiKeyId,
        Endpoint = row.Endpoint,
        RequestedModel = row.RequestedModel,
        ModelId = row.ModelId,
        ModelName = row.ModelName,
        ProviderId = row.ProviderId,
        UpstreamSlug = row.UpstreamSlug,
        McpServerId = row.McpServerId,
        ToolName = row.ToolName,
        HttpStatus = row.HttpStatus,
        ErrorCode = row.ErrorCode,
        Streamed = row.Streamed,
        LatencyMs = row.LatencyMs,
        TimeToFirstTokenMs = row.TimeToFirstTokenMs,
        ErrorClass = row.ErrorClass is null ? null : WireName.Parse<UsageErrorClass>(row.ErrorClass),
        ClientDisconnected = row.ClientDisconnected,
        TokensEstimated = row.TokensEstimated,
        RoutingAttempts = row.RoutingAttempts,
        Tokens = new TokenUsage
        {
            InputTokens = row.InputTokens,
            CachedInputTokens = row.CachedInputTokens,
            CacheWriteTokens = row.CacheWriteTokens,
            CacheWriteOneHourTokens = row.CacheWriteOneHourTokens,
            OutputTokens = row.OutputTokens,
            ReasoningTokens = row.ReasoningTokens,
            Images = row.Images,
            ImageSize = row.ImageSize,
            ImageQuality = row.ImageQuality,
            AudioSeconds = row.AudioSeconds,
            AudioOutputSeconds = row.AudioOutputSeconds,
            Characters = row.Characters,
            HostedToolCalls = HostedToolCalls.Of(AllHostedTools, row.HostedToolCalls),
        },
        Cost = row.Cost,
        Currency = row.Currency,
        CostBreakdownJson = row.CostBreakdown,
        ProviderUsageJson = row.ProviderUsage,
        RoutingJson = row.Routing,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public string RequestId { get; set; } = "";
        public DateTimeOffset OccurredAt { get; set; }
        public string Kind { get; set; } = "";
        public Guid OrganisationId { get; set; }
        public Guid? TeamId { get; set; }
        public Guid? UserId { get; set; }
        public Guid? ApiKeyId { get; set; }
        public string Endpoint { get; set; } = "";
        public string? RequestedModel { get; set; }
        public Guid? ModelId { get; set; }
        public string? ModelName { get; set; }
        public Guid? ProviderId { get; set; }
        public string? UpstreamSlug { get; set; }
        public Guid? McpServerId { get; set; }
        public string? ToolName { get; set; }
        public int HttpStatus { get; set; }
        public string? ErrorCode { get; set; }
        public bool Streamed { get; set; }
        public long LatencyMs { get; set; }
        public long? TimeToFirstTokenMs { get; set; }
        public string? ErrorClass { get; set; }
        public bool ClientDisconnected { get; set; }
        public bool TokensEstimated { get; set; }
        public int? RoutingAttempts { get; set; }
        public long InputTokens { get; set; }
        public long CachedInputTokens { get; set; }
        public long CacheWriteTokens { get; set; }
        public long CacheWriteOneHourTokens { get; set; }
        public long OutputTokens { get; set; }
        public long ReasoningTokens { get; set; }
        public long Images { get; set; }
        public string? ImageSize { get; set; }
        public string? ImageQuality { get; set; }
        public decimal AudioSeconds { get; set; }
        public decimal AudioOutputSeconds { get; set; }
        public long Characters { get; set; }
        public long HostedToolCalls { get; set; }
        public decimal Cost { get; set; }
        public string Currency { get; set; } = "";
        public string? CostBreakdown { get; set; }
        public string? ProviderUsage { get; set; }
        public string? Routing { get; set; }
    }
}
