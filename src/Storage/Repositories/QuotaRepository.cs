using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Periods;
using Odock.Domain.Quotas;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class QuotaRepository(SqlSession session)
    : CrudRepository<Quota, QuotaRepository.Row>(session, RowMap, "quota"), IQuotaRepository
{
    private static readonly TableMap<Row> RowMap = new("quotas");

    public Task<Quota?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE organisation_id = @OrganisationId AND name = @Name", new { OrganisationId = organisationId, Name = name }, cancellationToken);

    public Task<IReadOnlyList<Quota>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY name", new { OrganisationId = organisationId }, cancellationToken);

    public Task<IReadOnlyList<Quota>> ListForTargetAsync(Guid targetId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE target_id = @TargetId ORDER BY name", new { TargetId = targetId }, cancellationToken);

    protected override Guid IdOf(Quota entity) => entity.Id;

    protected override Row ToRow(Quota entity) => new()
    {
        Id = entity.Id, OrganisationId = entity.OrganisationId, Name = entity.Name, Scope = WireName.Of(entity.Scope), TargetId = entity.TargetId,
        Unit = WireName.Of(entity.Unit), LimitValue = entity.Limit, Period = WireName.Of(entity.Period.Kind), TimeZone = entity.Period.TimeZoneId,
        Enabled = entity.Enabled, CreatedAt = entity.CreatedAt,
    };

    protected override Quota ToEntity(Row row) => new()
    {
        Id = row.Id, OrganisationId = row.OrganisationId, Name = row.Name, Scope = WireName.Parse<LimitScope>(row.Scope), TargetId = row.TargetId,
        Unit = WireName.Parse<QuotaUnit>(row.Unit), Limit = row.LimitValue, Period = new Period(WireName.Parse<PeriodKind>(row.Period), row.TimeZone),
        Enabled = row.Enabled, CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Name { get; set; } = "";
        public string Scope { get; set; } = "";
        public Guid TargetId { get; set; }
        public string Unit { get; set; } = "";
        public long LimitValue { get; set; }
        public string Period { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public bool Enabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
