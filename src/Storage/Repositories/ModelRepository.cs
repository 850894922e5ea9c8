using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class ModelRepository(SqlSession session)
    : CrudRepository<Model, ModelRepository.Row>(session, RowMap, "model"), IModelRepository
{
    private static readonly TableMap<Row> RowMap = new("models");

    public Task<Model?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE organisation_id = @OrganisationId AND name = @Name", new { OrganisationId = organisationId, Name = name }, cancellationToken);

    public Task<IReadOnlyList<Model>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY name", new { OrganisationId = organisationId }, cancellationToken);

    protected override Guid IdOf(Model entity) => entity.Id;

    protected override Row ToRow(Model entity) => new()
    {
        Id = entity.Id,
        OrganisationId = entity.OrganisationId,
        Name = entity.Name,
        UpstreamSlug = entity.UpstreamSlug,
        ProviderId = entity.ProviderId,
        ProviderKeyId = entity.ProviderKeyId,
        Type = WireName.Of(entity.Type),
        Capabilities = StorageJson.WriteList(entity.Capabilities.Select(WireName.Of).Order(StringComparer.Ordinal)),
        Pricing = StorageJson.Write(entity.Pricing),
        Policies = StorageJson.Write(entity.Policies),
        Enabled = entity.Enabled,
        CreatedAt = entity.CreatedAt,
    };

    protected override Model ToEntity(Row row) => new()
    {
        Id = row.Id,
        OrganisationId = row.OrganisationId,
        Name = row.Name,
        UpstreamSlug = row.UpstreamSlug,
        ProviderId = row.ProviderId,
        ProviderKeyId = row.ProviderKeyId,
        Type = WireName.Parse<ModelType>(row.Type),
        Capabilities = StorageJson.ReadList(row.Capabilities).Select(WireName.Parse<ModelCapability>).ToHashSet(),
        Pricing = StorageJson.Read<ModelPriceSchedule>(row.Pricing),
        Policies = StorageJson.Read<ResourcePolicy>(row.Policies),
        Enabled = row.Enabled,
        CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Name { get; set; } = "";
        public string UpstreamSlug { get; set; } = "";
        public Guid ProviderId { get; set; }
        public Guid? ProviderKeyId { get; set; }
        public string Type { get; set; } = "";
        public string Capabilities { get; set; } = "[]";
        public string Pricing { get; set; } = "{}";
        public string Policies { get; set; } = "{}";
        public bool Enabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
