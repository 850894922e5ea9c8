using Odock.Domain.ApiKeys;

namespace Odock.Storage.Repositories;

/// <summary>Virtual API keys with their model and MCP grants, which are written and read together with the key.</summary>
public interface IApiKeyRepository : IRepository<ApiKey>
{
    /// <summary>The gateway's look-up: by SHA-256 of the presented secret.</summary>
    Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);

    /// <summary>Records use without rewriting the key (no validation, no grant changes); coarse on purpose, callers throttle it.</summary>
    Task TouchAsync(Guid id, DateTimeOffset usedAt, CancellationToken cancellationToken = default);
}
