using Odock.Domain.Budgets;

namespace Odock.Storage.Repositories;

public interface IBudgetRepository : IRepository<Budget>
{
    Task<Budget?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Budget>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);

    /// <summary>Every budget counting traffic of one organisation, team, user or key.</summary>
    Task<IReadOnlyList<Budget>> ListForTargetAsync(Guid targetId, CancellationToken cancellationToken = default);
}
