using Odock.Domain.Quotas;

namespace Odock.Storage.Repositories;

public interface IQuotaRepository : IRepository<Quota>
{
    Task<Quota?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Quota>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);

    /// <summary>Every quota counting traffic of one organisation, team, user or key.</summary>
    Task<IReadOnlyList<Quota>> ListForTargetAsync(Guid targetId, CancellationToken cancellationToken = default);
}
