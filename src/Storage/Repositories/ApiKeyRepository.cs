using Odock.Domain.ApiKeys;
using Odock.Domain.Common;
using Odock.Domain.Policies;
using Odock.Domain.Routing;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class ApiKeyRepository(SqlSession session)
    : CrudRepository<ApiKey, ApiKeyRepository.Row>(session, RowMap, "api_key"), IApiKeyRepository
{
    private static readonly TableMap<Row> RowMap = new("api_keys");

    public override async Task<ApiKey?> GetAsync(Guid id, CancellationToken cancellationToken = default) =>
        await WithGrantsAsync(await base.GetAsync(id, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);

    public async Task<ApiKey?> FindByHashAsync(string hash, CancellationToken cancellationToken = default)
    {
        var key = await FirstAsync("WHERE hash = @Hash", new { Hash = hash }, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            var retired = await Session.QuerySingleOrDefaultAsync<Retired>(
                "SELECT api_key_id AS key_id, valid_until FROM api_key_retired_secrets WHERE hash = @Hash", new { Hash = hash }, cancellationToken).ConfigureAwait(false);
            key = retired is null ? null : await base.GetAsync(retired.KeyId, cancellationToken).ConfigureAwait(false) is { } current
                ? current with { ExpiresAt = current.ExpiresAt is { } expiry && expiry < retired.ValidUntil ? expiry : retired.ValidUntil }
                : null;
        }

        return await WithGrantsAsync(key, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ApiKey>> ListPageAsync(ApiKeyListQuery query, CancellationToken cancellationToken = default)
    {
        var (sql, arguments) = ApiKeyPageSql.Build(Map.Select, query);
        var rows = await Session.QueryAsync<Row>(sql, arguments, cancellationToken).ConfigureAwait(false);
        return rows.Select(ToEntity).ToArray();
    }

    public Task<IReadOnlyList<ApiKey>> ListGrantedModelAsync(Guid modelId, int limit, string? afterName, CancellationToken cancellationToken = default) =>
        ListGrantedAsync("SELECT api_key_id FROM api_key_model_grants WHERE model_id = @TargetId", modelId, limit, afterName, cancellationToken);

    public Task<IReadOnlyList<ApiKey>> ListGrantedMcpServerAsync(Guid serverId, int limit, string? afterName, CancellationToken cancellationToken = default) =>
        ListGrantedAsync("SELECT api_key_id FROM api_key_mcp_grants WHERE mcp_server_id = @TargetId", serverId, limit, afterName, cancellationToken);

    public Task RetireSecretAsync(Guid id, string hash, DateTimeOffset validUntil, CancellationToken cancellationToken = default) =>
        Session.ExecuteAsync(
            "INSERT INTO api_key_retired_secrets (hash, api_key_id, valid_until) VALUES (@Hash, @ApiKeyId, @ValidUntil)",
            new { Hash = hash, ApiKeyId = id, ValidUntil = validUntil },
            "retired secret",
            cancellationToken);

    public Task<IReadOnlyList<string>> ListRetiredHashesAsync(Guid id, CancellationToken cancellationToken = default) =>
        Session.QueryAsync<string>("SELECT hash FROM api_key_retired_secrets WHERE api_key_id = @ApiKeyId ORDER BY hash", new { ApiKeyId = id }, cancellationToken);

    public async Task<ApiKey?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default) =>
        await WithGrantsAsync(
            await FirstAsync("WHERE organisation_id = @OrganisationId AND name = @Name", new { OrganisationId = organisationId, Name = name }, cancellationToken).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<ApiKey>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        var keys = await ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY name", new { OrganisationId = organisationId }, cancellationToken).ConfigureAwait(false);
        var arguments = new { OrganisationId = organisationId };
        var models = (await Session.QueryAsync<Grant>(
            "SELECT g.api_key_id AS key_id, g.model_id AS target_id FROM api_key_model_grants g JOIN api_keys k ON k.id = g.api_key_id WHERE k.organisation_id = @OrganisationId",
            arguments,
            cancellationToken).ConfigureAwait(false)).ToLookup(g => g.KeyId, g => g.TargetId);
        var servers = (await Session.QueryAsync<Grant>(
            "SELECT g.api_key_id AS key_id, g.mcp_server_id AS target_id FROM api_key_mcp_grants g JOIN api_keys k ON k.id = g.api_key_id WHERE k.organisation_id = @OrganisationId",
            arguments,
            cancellationToken).ConfigureAwait(false)).ToLookup(g => g.KeyId, g => g.TargetId);
        return keys.Select(k => k with { ModelGrants = Sorted(models[k.Id]), McpGrants = Sorted(servers[k.Id]) }).ToArray();
    }

    public override async Task InsertAsync(ApiKey entity, CancellationToken cancellationToken = default)
    {
        await base.InsertAsync(entity, cancellationToken).ConfigureAwait(false);
        await WriteGrantsAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public override async Task UpdateAsync(ApiKey entity, CancellationToken cancellationToken = default)
    {
        await base.UpdateAsync(entity, cancellationToken).ConfigureAwait(false);
        var key = new { ApiKeyId = entity.Id };
        await Session.ExecuteAsync("DELETE FROM api_key_model_grants WHERE api_key_id = @ApiKeyId", key, EntityName, cancellationToken).ConfigureAwait(false);
        await Session.ExecuteAsync("DELETE FROM api_key_mcp_grants WHERE api_key_id = @ApiKeyId", key, EntityName, cancellationToken).ConfigureAwait(false);
        await WriteGrantsAsync(entity, cancellationToken).ConfigureAwait(false);
    }

    public Task TouchAsync(Guid id, DateTimeOffset usedAt, CancellationToken cancellationToken = default) =>
        TouchLastUsedAsync(id, usedAt, cancellationToken);

    protected override Guid IdOf(ApiKey entity) => entity.Id;

    protected override Row ToRow(ApiKey entity) => new()
    {
        Id = entity.Id,
        OrganisationId = entity.OrganisationId,
        Name = entity.Name,
        Prefix = entity.Prefix,
        Hash = entity.Hash,
        Scope = WireName.Of(entity.Scope),
        TeamId = entity.TeamId,
        UserId = entity.UserId,
        Status = WireName.Of(entity.Status),
        ExpiresAt = entity.ExpiresAt,
        Limits = StorageJson.Write(entity.Limits),
        Routing = entity.Routing is null ? null : StorageJson.Write(entity.Routing),
        CreatedAt = entity.CreatedAt,
        LastUsedAt = entity.LastUsedAt,
    };

    protected override ApiKey ToEntity(Row row) => new()
    {
        Id = row.Id,
        OrganisationId = row.OrganisationId,
        Name = row.Name,
        Prefix = row.Prefix,
        Hash = row.Hash,
        Scope = WireName.Parse<ApiKeyScope>(row.Scope),
        TeamId = row.TeamId,
        UserId = row.UserId,
        Status = WireName.Parse<ApiKeyStatus>(row.Status),
        ExpiresAt = row.ExpiresAt,
        Limits = StorageJson.Read<ResourcePolicy>(row.Limits),
        Routing = row.Routing is null ? null : StorageJson.Read<RoutingPolicy>(row.Routing),
        CreatedAt = row.CreatedAt,
        LastUsedAt = row.LastUsedAt,
    };

    private Task<IReadOnlyList<ApiKey>> ListGrantedAsync(string grantees, Guid targetId, int limit, string? afterName, CancellationToken cancellationToken) =>
        ManyAsync(
            $"WHERE id IN ({grantees})" + (afterName is null ? "" : " AND name > @AfterName") + " ORDER BY name LIMIT @Take",
            new { TargetId = targetId, AfterName = afterName, Take = limit },
            cancellationToken);

    private static Guid[] Sorted(IEnumerable<Guid> ids) => ids.Order().ToArray();

    private async Task<ApiKey?> WithGrantsAsync(ApiKey? key, CancellationToken cancellationToken)
    {
        if (key is null)
        {
            return null;
        }

        var arguments = new { ApiKeyId = key.Id };
        var models = await Session.QueryAsync<Guid>("SELECT model_id FROM api_key_model_grants WHERE api_key_id = @ApiKeyId", arguments, cancellationToken).ConfigureAwait(false);
        var servers = await Session.QueryAsync<Guid>("SELECT mcp_server_id FROM api_key_mcp_grants WHERE api_key_id = @ApiKeyId", arguments, cancellationToken).ConfigureAwait(false);
        return key with { ModelGrants = Sorted(models), McpGrants = Sorted(servers) };
    }

    private async Task WriteGrantsAsync(ApiKey entity, CancellationToken cancellationToken)
    {
        foreach (var modelId in entity.ModelGrants.Distinct())
        {
            await Session.ExecuteAsync(
                "INSERT INTO api_key_model_grants (api_key_id, model_id) VALUES (@ApiKeyId, @TargetId)",
                new { ApiKeyId = entity.Id, TargetId = modelId },
                "model grant",
                cancellationToken).ConfigureAwait(false);
        }

        foreach (var serverId in entity.McpGrants.Distinct())
        {
            await Session.ExecuteAsync(
                "INSERT INTO api_key_mcp_grants (api_key_id, mcp_server_id) VALUES (@ApiKeyId, @TargetId)",
                new { ApiKeyId = entity.Id, TargetId = serverId },
                "MCP grant",
                cancellationToken).ConfigureAwait(false);
        }
    }

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Name { get; set; } = "";
        public string Prefix { get; set; } = "";
        public string Hash { get; set; } = "";
        public string Scope { get; set; } = "";
        public Guid? TeamId { get; set; }
        public Guid? UserId { get; set; }
        public string Status { get; set; } = "";
        public DateTimeOffset? ExpiresAt { get; set; }
        public string Limits { get; set; } = "{}";
        public string? Routing { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? LastUsedAt { get; set; }
    }

    internal sealed class Retired
    {
        public Guid KeyId { get; set; }
        public DateTimeOffset ValidUntil { get; set; }
    }

    internal sealed class Grant
    {
        public Guid KeyId { get; set; }
        public Guid TargetId { get; set; }
    }
}
