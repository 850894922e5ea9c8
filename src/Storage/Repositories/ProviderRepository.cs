using Odock.Domain.Common;
using Odock.Domain.Providers;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class ProviderRepository(SqlSession session)
    : CrudRepository<Provider, ProviderRepository.Row>(session, RowMap, "provider"), IProviderRepository
{
    private static readonly TableMap<Row> RowMap = new("providers");

    public Task<Provider?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE organisation_id = @OrganisationId AND name = @Name", new { OrganisationId = organisationId, Name = name }, cancellationToken);

    public Task<IReadOnlyList<Provider>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY name", new { OrganisationId = organisationId }, cancellationToken);

    protected override Guid IdOf(Provider entity) => entity.Id;

    protected override Row ToRow(Provider entity) => new()
    {
        Id = entity.Id, OrganisationId = entity.OrganisationId, Name = entity.Name, Type = WireName.Of(entity.Type), BaseUrl = entity.BaseUrl,
        Settings = StorageJson.WriteMap(entity.Settings), Enabled = entity.Enabled, CreatedAt = entity.CreatedAt,
    };

    protected override Provider ToEntity(Row row) => new()
    {
        Id = row.Id, OrganisationId = row.OrganisationId, Name = row.Name, Type = WireName.Parse<ProviderType>(row.Type), BaseUrl = row.BaseUrl,
        Settings = StorageJson.ReadMap(row.Settings), Enabled = row.Enabled, CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Name { get; set; } = "";
        public string Type { get; set; } = "";
        public string? BaseUrl { get; set; }
        public string Settings { get; set; } = "{}";
        public bool Enabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
