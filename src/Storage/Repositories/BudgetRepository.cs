using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Periods;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class BudgetRepository(SqlSession session)
    : CrudRepository<Budget, BudgetRepository.Row>(session, RowMap, "budget"), IBudgetRepository
{
    private static readonly TableMap<Row> RowMap = new("budgets");

    public Task<Budget?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE organisation_id = @OrganisationId AND name = @Name", new { OrganisationId = organisationId, Name = name }, cancellationToken);

    public Task<IReadOnlyList<Budget>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY name", new { OrganisationId = organisationId }, cancellationToken);

    public Task<IReadOnlyList<Budget>> ListForTargetAsync(Guid targetId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE target_id = @TargetId ORDER BY name", new { TargetId = targetId }, cancellationToken);

    protected override Guid IdOf(Budget entity) => entity.Id;

    protected override Row ToRow(Budget entity) => new()
    {
        Id = entity.Id, OrganisationId = entity.OrganisationId, Name = entity.Name, Scope = WireName.Of(entity.Scope), TargetId = entity.TargetId,
        Amount = entity.Amount, Currency = entity.Currency, Period = WireName.Of(entity.Period.Kind), TimeZone = entity.Period.TimeZoneId,
        Enabled = entity.Enabled, CreatedAt = entity.CreatedAt,
    };

    protected override Budget ToEntity(Row row) => new()
    {
        Id = row.Id, OrganisationId = row.OrganisationId, Name = row.Name, Scope = WireName.Parse<LimitScope>(row.Scope), TargetId = row.TargetId,
        Amount = row.Amount, Currency = row.Currency, Period = new Period(WireName.Parse<PeriodKind>(row.Period), row.TimeZone),
        Enabled = row.Enabled, CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Name { get; set; } = "";
        public string Scope { get; set; } = "";
        public Guid TargetId { get; set; }
        public decimal Amount { get; set; }
        public string Currency { get; set; } = "";
        public string Period { get; set; } = "";
        public string TimeZone { get; set; } = "";
        public bool Enabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
