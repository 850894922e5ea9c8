using Odock.Domain.Organisations;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class OrganisationRepository(SqlSession session)
    : CrudRepository<Organisation, OrganisationRepository.Row>(session, RowMap, "organisation"), IOrganisationRepository
{
    private static readonly TableMap<Row> RowMap = new("organisations");

    public Task<Organisation?> FindByNameAsync(string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE name = @Name", new { Name = name }, cancellationToken);

    public Task<IReadOnlyList<Organisation>> ListAsync(CancellationToken cancellationToken = default) =>
        ManyAsync("ORDER BY name", null, cancellationToken);

    protected override Guid IdOf(Organisation entity) => entity.Id;

    protected override Row ToRow(Organisation entity) => new()
    {
        Id = entity.Id, Name = entity.Name, DisplayName = entity.DisplayName, Enabled = entity.Enabled, CreatedAt = entity.CreatedAt,
    };

    protected override Organisation ToEntity(Row row) => new()
    {
        Id = row.Id, Name = row.Name, DisplayName = row.DisplayName, Enabled = row.Enabled, CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public string Name { get; set; } = "";
        public string? DisplayName { get; set; }
        public bool Enabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
