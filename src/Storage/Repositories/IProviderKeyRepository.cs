using Odock.Domain.Providers;

namespace Odock.Storage.Repositories;

/// <summary>Provider credentials; they arrive and leave encrypted (see <see cref="Secrets.ISecretProtector"/>).</summary>
public interface IProviderKeyRepository : IRepository<ProviderKey>
{
    Task<ProviderKey?> FindByNameAsync(Guid providerId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ProviderKey>> ListAsync(Guid providerId, CancellationToken cancellationToken = default);
}
