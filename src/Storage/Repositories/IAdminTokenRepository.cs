using Odock.Domain.Users;

namespace Odock.Storage.Repositories;

public interface IAdminTokenRepository : IRepository<AdminToken>
{
    Task<AdminToken?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AdminToken>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Records use without rewriting the token; the time only moves forward. Callers throttle it.</summary>
    Task TouchAsync(Guid id, DateTimeOffset usedAt, CancellationToken cancellationToken = default);
}
