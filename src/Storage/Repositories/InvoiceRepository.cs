using Odock.Domain.Common;
using Odock.Domain.Invoices;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using Odock.Storage.Errors;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class InvoiceRepository(SqlSession session)
    : CrudRepository<Invoice, InvoiceRepository.Row>(session, RowMap, "invoice"), IInvoiceRepository
{
    private const string DraftOnly = " AND status = 'draft'";

    private static readonly TableMap<Row> RowMap = new("invoices");

    private static readonly string TransitionSql =
        "UPDATE invoices SET status = @Status, sequence = @Sequence, number = @Number, issued_at = @IssuedAt, paid_at = @PaidAt, "
        + "voided_at = @VoidedAt, void_reason = @VoidReason WHERE id = @Id AND status = @Expected";

    private static readonly string UsageColumns =
        "u.model_name AS ModelName, u.mcp_server_id AS McpServerId, s.name AS McpServerName, u.tool_name AS ToolName, u.currency AS Currency";

    public Task<Invoice?> FindByNumberAsync(Guid organisationId, string number, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE organisation_id = @OrganisationId AND number = @Number", new { OrganisationId = organisationId, Number = number }, cancellationToken);

    public Task<IReadOnlyList<Invoice>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY period_start DESC, created_at DESC, id", new { OrganisationId = organisationId }, cancellationToken);

    public Task<IReadOnlyList<Invoice>> ListForPeriodAsync(InvoiceSubject subject, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var team = subject.TeamId is null ? "team_id IS NULL" : "team_id = @TeamId";
        var user = subject.UserId is null ? "user_id IS NULL" : "user_id = @UserId";
        return ManyAsync(
            $"WHERE organisation_id = @OrganisationId AND scope = @Scope AND {team} AND {user} "
            + "AND period_start = @PeriodStart AND period_end = @PeriodEnd AND status <> 'void' ORDER BY created_at, id",
            new { subject.OrganisationId, Scope = WireName.Of(subject.Scope), subject.TeamId, subject.UserId, PeriodStart = periodStart, PeriodEnd = periodEnd },
            cancellationToken);
    }

    /// <summary>
    /// On PostgreSQL this locks the organisation's row until the transaction ends, so concurrent issuers of one
    /// organisation take numbers one after the other instead of colliding; SQLite has a single writer already.
    /// </summary>
    public async Task<int> NextSequenceAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var arguments = new { OrganisationId = organisationId };
        if (Session.Engine == StorageEngine.Postgres)
        {
            await Session.QueryAsync<int>("SELECT 1 FROM organisations WHERE id = @OrganisationId FOR UPDATE", arguments, cancellationToken).ConfigureAwait(false);
        }

        return await Session.ScalarAsync<int>(
            "SELECT CAST(COALESCE(MAX(sequence), 0) + 1 AS INTEGER) FROM invoices WHERE organisation_id = @OrganisationId",
            arguments, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces a draft's content; an invoice that left draft is refused, whatever the caller holds in memory.</summary>
    public override async Task UpdateAsync(Invoice entity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entity);
        ThrowIfInvalid(entity);
        if (entity.Status != InvoiceStatus.Draft)
        {
            throw new InvoiceStateException($"Only a draft's content can be replaced; move invoice {entity.Id} out of draft by issuing, paying or voiding it.");
        }

        if (await Session.ExecuteAsync(Map.Update + DraftOnly, ToRow(entity), EntityName, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw await NotADraftAsync(entity.Id, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes a draft; an invoice that was issued stays on record (void it instead).</summary>
    public override async Task<bool> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        if (await Session.ExecuteAsync($"DELETE FROM invoices WHERE id = @Id{DraftOnly}", new { Id = id }, EntityName, cancellationToken).ConfigureAwait(false) > 0)
        {
            return true;
        }

        return await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } kept
            ? throw new InvoiceStateException($"Invoice {kept.Number} is {WireName.Of(kept.Status)} and stays on record; void it instead of deleting it.")
            : false;
    }

    public async Task TransitionAsync(Invoice changed, InvoiceStatus expected, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changed);
        ThrowIfInvalid(changed);
        var row = ToRow(changed);
        var arguments = new { row.Id, row.Status, row.Sequence, row.Number, row.IssuedAt, row.PaidAt, row.VoidedAt, row.VoidReason, Expected = WireName.Of(expected) };
        if (await Session.ExecuteAsync(TransitionSql, arguments, EntityName, cancellationToken).ConfigureAwait(false) == 0)
        {
            var stored = await GetAsync(changed.Id, cancellationToken).ConfigureAwait(false) ?? throw new EntityNotFoundException(EntityName, changed.Id);
            throw new InvoiceStateException($"Invoice {stored.Number ?? stored.Id.ToString()} is {WireName.Of(stored.Status)} now, no longer {WireName.Of(expected)}; reload it and try again.");
        }
    }

    public async Task<IReadOnlyList<InvoiceUsageGroup>> SummariseUsageAsync(
        InvoiceSubject subject, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var scopeFilter = subject.Scope switch
        {
            InvoiceScope.Team => " AND u.team_id = @TargetId",
            InvoiceScope.User => " AND u.user_id = @TargetId",
            _ => string.Empty,
        };
        var from = $"FROM usage_records u LEFT JOIN mcp_servers s ON s.id = u.mcp_server_id "
            + $"WHERE u.organisation_id = @OrganisationId{scopeFilter} AND u.occurred_at >= @From AND u.occurred_at < @To";
        var arguments = new { subject.OrganisationId, subject.TargetId, From = periodStart, To = periodEnd };
        if (Session.Engine == StorageEngine.Postgres)
        {
            return await Session.QueryAsync<InvoiceUsageGroup>(
                $"SELECT {UsageColumns}, COUNT(*) AS Calls, CAST(SUM(u.input_tokens) AS bigint) AS InputTokens, "
                + "CAST(SUM(u.cached_input_tokens) AS bigint) AS CachedInputTokens, CAST(SUM(u.cache_write_tokens) AS bigint) AS CacheWriteTokens, "
                + "CAST(SUM(u.cache_write_one_hour_tokens) AS bigint) AS CacheWriteOneHourTokens, "
                + "CAST(SUM(u.output_tokens) AS bigint) AS OutputTokens, CAST(SUM(u.reasoning_tokens) AS bigint) AS ReasoningTokens, "
                + "CAST(SUM(u.images) AS bigint) AS Images, SUM(u.audio_seconds) AS AudioSeconds, SUM(u.audio_output_seconds) AS AudioOutputSeconds, "
                + "CAST(SUM(u.characters) AS bigint) AS Characters, CAST(SUM(u.hosted_tool_calls) AS bigint) AS HostedToolCalls, SUM(u.cost) AS Amount "
                + $"{from} GROUP BY u.model_name, u.mcp_server_id, s.name, u.tool_name, u.currency",
                arguments, cancellationToken).ConfigureAwait(false);
        }

        // SQLite keeps money as TEXT and would add it as doubles: read the rows and add the exact decimals here.
        var rows = await Session.QueryAsync<InvoiceUsageGroup>(
            $"SELECT {UsageColumns}, 1 AS Calls, u.input_tokens AS InputTokens, u.cached_input_tokens AS CachedInputTokens, "
            + "u.cache_write_tokens AS CacheWriteTokens, u.cache_write_one_hour_tokens AS CacheWriteOneHourTokens, u.output_tokens AS OutputTokens, "
            + "u.reasoning_tokens AS ReasoningTokens, u.images AS Images, u.audio_seconds AS AudioSeconds, u.audio_output_seconds AS AudioOutputSeconds, "
            + $"u.characters AS Characters, u.hosted_tool_calls AS HostedToolCalls, u.cost AS Amount {from}",
            arguments, cancellationToken).ConfigureAwait(false);
        return rows
            .GroupBy(r => (r.ModelName, r.McpServerId, r.McpServerName, r.ToolName, r.Currency))
            .Select(g => g.First() with { Quantities = UsageQuantities.Sum(g.Select(r => r.Quantities)) })
            .ToArray();
    }

    protected override Guid IdOf(Invoice entity) => entity.Id;

    protected override Row ToRow(Invoice entity) => new()
    {
        Id = entity.Id, OrganisationId = entity.OrganisationId, Scope = WireName.Of(entity.Scope), TeamId = entity.TeamId, UserId = entity.UserId,
        Sequence = entity.Sequence, Number = entity.Number, PeriodStart = entity.PeriodStart, PeriodEnd = entity.PeriodEnd,
        Lines = StorageJson.Write(entity.Lines.ToList()), Totals = StorageJson.Write(entity.Totals.ToList()), Status = WireName.Of(entity.Status),
        CreatedAt = entity.CreatedAt, IssuedAt = entity.IssuedAt, PaidAt = entity.PaidAt, VoidedAt = entity.VoidedAt, VoidReason = entity.VoidReason,
    };

    protected override Invoice ToEntity(Row row) => new()
    {
        Id = row.Id, OrganisationId = row.OrganisationId, Scope = WireName.Parse<InvoiceScope>(row.Scope), TeamId = row.TeamId, UserId = row.UserId,
        Sequence = row.Sequence, Number = row.Number, PeriodStart = row.PeriodStart, PeriodEnd = row.PeriodEnd,
        Lines = StorageJson.Read<List<InvoiceLine>>(row.Lines), Status = WireName.Parse<InvoiceStatus>(row.Status), CreatedAt = row.CreatedAt,
        IssuedAt = row.IssuedAt, PaidAt = row.PaidAt, VoidedAt = row.VoidedAt, VoidReason = row.VoidReason,
    };

    private static void ThrowIfInvalid(Invoice entity)
    {
        var problems = entity.Validate();
        if (problems.Count > 0)
        {
            throw new DomainValidationException(problems);
        }
    }

    private async Task<Exception> NotADraftAsync(Guid id, CancellationToken cancellationToken) =>
        await GetAsync(id, cancellationToken).ConfigureAwait(false) is { } stored
            ? new InvoiceStateException($"Invoice {stored.Number} is {WireName.Of(stored.Status)} and can no longer change; void it and generate a new one instead.")
            : new EntityNotFoundException(EntityName, id);

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Scope { get; set; } = "";
        public Guid? TeamId { get; set; }
        public Guid? UserId { get; set; }
        public int? Sequence { get; set; }
        public string? Number { get; set; }
        public DateTimeOffset PeriodStart { get; set; }
        public DateTimeOffset PeriodEnd { get; set; }
        public string Lines { get; set; } = "[]";
        public string Totals { get; set; } = "[]";
        public string Status { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? IssuedAt { get; set; }
        public DateTimeOffset? PaidAt { get; set; }
        public DateTimeOffset? VoidedAt { get; set; }
        public string? VoidReason { get; set; }
    }
}
