using Odock.Domain.Users;

namespace Odock.Storage.Repositories;

public interface IUserRepository : IRepository<User>
{
    /// <summary>Case-insensitive: the email is normalised before the look-up.</summary>
    Task<User?> FindByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>Users of one organisation, or the super admins when <paramref name="organisationId"/> is null.</summary>
    Task<IReadOnlyList<User>> ListAsync(Guid? organisationId, CancellationToken cancellationToken = default);

    Task<long> CountByRoleAsync(UserRole role, CancellationToken cancellationToken = default);
}
