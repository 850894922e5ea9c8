using Odock.Domain.Audit;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class AuditLog(SqlSession session) : IAuditLog
{
    private static readonly TableMap<Row> Map = new("audit_entries");

    public Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return session.ExecuteAsync(
            Map.Insert,
            new Row
            {
                Id = entry.Id, OccurredAt = entry.OccurredAt, Actor = entry.Actor, OrganisationId = entry.OrganisationId, Action = entry.Action,
                TargetType = entry.TargetType, TargetId = entry.TargetId, Details = entry.DetailsJson,
            },
            "audit entry",
            cancellationToken);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? organisationId, int limit = 100, CancellationToken cancellationToken = default)
    {
        var filter = organisationId is null ? string.Empty : "WHERE organisation_id = @OrganisationId ";
        var rows = await session.QueryAsync<Row>(
            $"{Map.Select} {filter}ORDER BY occurred_at DESC, id LIMIT @Limit",
            new { OrganisationId = organisationId, Limit = limit },
            cancellationToken).ConfigureAwait(false);
        return rows.Select(row => new AuditEntry
        {
            Id = row.Id, OccurredAt = row.OccurredAt, Actor = row.Actor, OrganisationId = row.OrganisationId, Action = row.Action,
            TargetType = row.TargetType, TargetId = row.TargetId, DetailsJson = row.Details,
        }).ToArray();
    }

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public DateTimeOffset OccurredAt { get; set; }
        public string Actor { get; set; } = "";
        public Guid? OrganisationId { get; set; }
        public string Action { get; set; } = "";
        public string TargetType { get; set; } = "";
        public string? TargetId { get; set; }
        public string? Details { get; set; }
    }
}
