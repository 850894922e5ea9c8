using Odock.Domain.Organisations;

namespace Odock.Storage.Repositories;

public interface IOrganisationRepository : IRepository<Organisation>
{
    Task<Organisation?> FindByNameAsync(string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Organisation>> ListAsync(CancellationToken cancellationToken = default);
}
