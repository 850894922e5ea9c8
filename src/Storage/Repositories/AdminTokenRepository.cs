using Odock.Domain.Users;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class AdminTokenRepository(SqlSession session)
    : CrudRepository<AdminToken, AdminTokenRepository.Row>(session, RowMap, "admin_token"), IAdminTokenRepository
{
    private static readonly TableMap<Row> RowMap = new("admin_tokens");

    public Task<AdminToken?> FindByHashAsync(string hash, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE hash = @Hash", new { Hash = hash }, cancellationToken);

    public Task<IReadOnlyList<AdminToken>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE user_id = @UserId ORDER BY created_at", new { UserId = userId }, cancellationToken);

    public Task TouchAsync(Guid id, DateTimeOffset usedAt, CancellationToken cancellationToken = default) =>
        TouchLastUsedAsync(id, usedAt, cancellationToken);

    protected override Guid IdOf(AdminToken entity) => entity.Id;

    protected override Row ToRow(AdminToken entity) => new()
    {
        Id = entity.Id, UserId = entity.UserId, Name = entity.Name, Prefix = entity.Prefix, Hash = entity.Hash, CreatedAt = entity.CreatedAt,
        ExpiresAt = entity.ExpiresAt, RevokedAt = entity.RevokedAt, LastUsedAt = entity.LastUsedAt,
    };

    protected override AdminToken ToEntity(Row row) => new()
    {
        Id = row.Id, UserId = row.UserId, Name = row.Name, Prefix = row.Prefix, Hash = row.Hash, CreatedAt = row.CreatedAt,
        ExpiresAt = row.ExpiresAt, RevokedAt = row.RevokedAt, LastUsedAt = row.LastUsedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid UserId { get; set; }
        public string Name { get; set; } = "";
        public string Prefix { get; set; } = "";
        public string Hash { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? ExpiresAt { get; set; }
        public DateTimeOffset? RevokedAt { get; set; }
        public DateTimeOffset? LastUsedAt { get; set; }
    }
}
