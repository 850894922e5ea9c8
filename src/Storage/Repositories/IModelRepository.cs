using Odock.Domain.Models;

namespace Odock.Storage.Repositories;

public interface IModelRepository : IRepository<Model>
{
    Task<Model?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Model>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);
}
