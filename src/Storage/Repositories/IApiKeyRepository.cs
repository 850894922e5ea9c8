using Odock.Domain.ApiKeys;

namespace Odock.Storage.Repositories;

/// <summary>Virtual API keys with their model and MCP grants, which are written and read together with the key.</summary>
public interface IApiKeyRepository : IRepository<ApiKey>
{
    /// <summary>
    /// The gateway's look-up: by SHA-256 of the presented secret. A secret retired by rotation still finds its key until
    /// its grace period ends, with the key's expiry brought forward to that instant.
    /// </summary>
    Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default);

    Task<ApiKey?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<ApiKey>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);

    /// <summary>One page, without grants (lists show metadata; a single key is read with <see cref="IRepository{TEntity}.GetAsync"/>).</summary>
    Task<IReadOnlyList<ApiKey>> ListPageAsync(ApiKeyListQuery query, CancellationToken cancellationToken = default);

    /// <summary>The keys granted a model, by name, a page at a time (without their grants).</summary>
    Task<IReadOnlyList<ApiKey>> ListGrantedModelAsync(Guid modelId, int limit, string? afterName, CancellationToken cancellationToken = default);

    /// <summary>The keys granted an MCP server, by name, a page at a time (without their grants).</summary>
    Task<IReadOnlyList<ApiKey>> ListGrantedMcpServerAsync(Guid serverId, int limit, string? afterName, CancellationToken cancellationToken = default);

    /// <summary>Keeps a replaced secret working until <paramref name="validUntil"/> (rotation with a grace period).</summary>
    Task RetireSecretAsync(Guid id, string hash, DateTimeOffset validUntil, CancellationToken cancellationToken = default);

    /// <summary>The hashes of the key's retired secrets, so their grains can be told about a change.</summary>
    Task<IReadOnlyList<string>> ListRetiredHashesAsync(Guid id, CancellationToken cancellationToken = default);

    /// <summary>Records use without rewriting the key (no validation, no grant changes); coarse on purpose, callers throttle it.</summary>
    Task TouchAsync(Guid id, DateTimeOffset usedAt, CancellationToken cancellationToken = default);
}
