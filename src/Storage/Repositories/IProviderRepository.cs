using Odock.Domain.Providers;

namespace Odock.Storage.Repositories;

public interface IProviderRepository : IRepository<Provider>
{
    Task<Provider?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Provider>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);
}
