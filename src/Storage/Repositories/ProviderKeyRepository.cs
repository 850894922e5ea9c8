using Odock.Domain.Providers;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class ProviderKeyRepository(SqlSession session)
    : CrudRepository<ProviderKey, ProviderKeyRepository.Row>(session, RowMap, "provider_key"), IProviderKeyRepository
{
    private static readonly TableMap<Row> RowMap = new("provider_keys");

    public Task<ProviderKey?> FindByNameAsync(Guid providerId, string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE provider_id = @ProviderId AND name = @Name", new { ProviderId = providerId, Name = name }, cancellationToken);

    public Task<IReadOnlyList<ProviderKey>> ListAsync(Guid providerId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE provider_id = @ProviderId ORDER BY name", new { ProviderId = providerId }, cancellationToken);

    protected override Guid IdOf(ProviderKey entity) => entity.Id;

    protected override Row ToRow(ProviderKey entity) => new()
    {
        Id = entity.Id, ProviderId = entity.ProviderId, Name = entity.Name, EncryptedSecret = entity.EncryptedSecret, SecretHint = entity.SecretHint,
        Enabled = entity.Enabled, CreatedAt = entity.CreatedAt,
    };

    protected override ProviderKey ToEntity(Row row) => new()
    {
        Id = row.Id, ProviderId = row.ProviderId, Name = row.Name, EncryptedSecret = row.EncryptedSecret, SecretHint = row.SecretHint,
        Enabled = row.Enabled, CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid ProviderId { get; set; }
        public string Name { get; set; } = "";
        public byte[] EncryptedSecret { get; set; } = [];
        public string SecretHint { get; set; } = "";
        public bool Enabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
