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
        return rows.Select(ToEntry).ToArray();
    }

    public async Task<IReadOnlyList<AuditEntry>> ListPageAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string>();
        var arguments = new Dapper.DynamicParameters();
        Filter(conditions, arguments, "organisation_id", "OrganisationId", query.OrganisationId);
        Filter(conditions, arguments, "target_type", "TargetType", query.TargetType);
        Filter(conditions, arguments, "target_id", "TargetId", query.TargetId);
        Filter(conditions, arguments, "action", "Action", query.Action);
        Filter(conditions, arguments, "actor", "Actor", query.Actor);
        if (query.From is { } from)
        {
            conditions.Add("occurred_at >= @From");
            arguments.Add("From", from);
        }

        if (query.To is { } to)
        {
            conditions.Add("occurred_at < @To");
            arguments.Add("To", to);
        }

        if (query.After is { } after)
        {
            conditions.Add("(occurred_at, id) < (@AfterOccurredAt, @AfterId)");
            arguments.Add("AfterOccurredAt", after.OccurredAt);
            arguments.Add("AfterId", after.Id);
        }

        arguments.Add("Take", query.Limit);
        var where = conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);
        var rows = await session.QueryAsync<Row>($"{Map.Select} {where} ORDER BY occurred_at DESC, id DESC LIMIT @Take", arguments, cancellationToken).ConfigureAwait(false);
        return rows.Select(ToEntry).ToArray();
    }

    private static void Filter<T>(List<string> conditions, Dapper.DynamicParameters arguments, string column, string name, T? value)
    {
        if (value is not null)
        {
            conditions.Add($"{column} = @{name}");
            arguments.Add(name, value);
        }
    }

    private static AuditEntry ToEntry(Row row) => new()
    {
        Id = row.Id, OccurredAt = row.OccurredAt, Actor = row.Actor, OrganisationId = row.OrganisationId, Action = row.Action,
        TargetType = row.TargetType, TargetId = row.TargetId, DetailsJson = row.Details,
    };

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
