using Odock.Domain.Common;
using Odock.Domain.Users;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class UserRepository(SqlSession session)
    : CrudRepository<User, UserRepository.Row>(session, RowMap, "user"), IUserRepository
{
    private static readonly TableMap<Row> RowMap = new("users");

    public Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE email = @Email", new { Email = User.NormaliseEmail(email) }, cancellationToken);

    public Task<IReadOnlyList<User>> ListAsync(Guid? organisationId, CancellationToken cancellationToken = default) => organisationId is null
        ? ManyAsync("WHERE organisation_id IS NULL ORDER BY email", null, cancellationToken)
        : ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY email", new { OrganisationId = organisationId }, cancellationToken);

    public Task<long> CountByRoleAsync(UserRole role, CancellationToken cancellationToken = default) =>
        Session.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE role = @Role", new { Role = WireName.Of(role) }, cancellationToken);

    protected override Guid IdOf(User entity) => entity.Id;

    protected override Row ToRow(User entity) => new()
    {
        Id = entity.Id,
        OrganisationId = entity.OrganisationId,
        Email = entity.Email,
        DisplayName = entity.DisplayName,
        Role = WireName.Of(entity.Role),
        Status = WireName.Of(entity.Status),
        PasswordHash = entity.PasswordHash,
        FailedSignIns = entity.FailedSignIns,
        LockedUntil = entity.LockedUntil,
        CreatedAt = entity.CreatedAt,
        LastSignInAt = entity.LastSignInAt,
    };

    protected override User ToEntity(Row row) => new()
    {
        Id = row.Id,
        OrganisationId = row.OrganisationId,
        Email = row.Email,
        DisplayName = row.DisplayName,
        Role = WireName.Parse<UserRole>(row.Role),
        Status = WireName.Parse<UserStatus>(row.Status),
        PasswordHash = row.PasswordHash,
        FailedSignIns = row.FailedSignIns,
        LockedUntil = row.LockedUntil,
        CreatedAt = row.CreatedAt,
        LastSignInAt = row.LastSignInAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid? OrganisationId { get; set; }
        public string Email { get; set; } = "";
        public string? DisplayName { get; set; }
        public string Role { get; set; } = "";
        public string Status { get; set; } = "";
        public string? PasswordHash { get; set; }
        public int FailedSignIns { get; set; }
        public DateTimeOffset? LockedUntil { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? LastSignInAt { get; set; }
    }
}
