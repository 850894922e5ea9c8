using Odock.Domain.Users;

namespace Odock.Storage.Repositories;

public interface IAdminTokenRepository : IRepository<AdminToken>
{
    Task<AdminToken?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AdminToken>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default);
}
