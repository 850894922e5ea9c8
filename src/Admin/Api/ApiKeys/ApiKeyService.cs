using Odock.Admin.Api.Access;
using Odock.Admin.Api.Audit;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Users;
using Odock.Domain.ApiKeys;
using Odock.Domain.Common;
using Odock.Domain.Policies;
using Odock.Domain.Routing;
using Odock.Domain.Users;
using Odock.Storage.Repositories;
using Odock.Storage.Store;

namespace Odock.Admin.Api.ApiKeys;

/// <summary>
/// The virtual key lifecycle: create (the secret is returned once), list and read (prefix and metadata only), update,
/// rotate (a new secret, the old one optionally valid for a grace period), revoke, expire and delete. Every change is
/// committed with its audit entry, then pushed to the key's grains so the next admission on any gateway sees it.
/// </summary>
internal sealed class ApiKeyService
{
    public static readonly TimeSpan MaxGrace = TimeSpan.FromDays(7);

    private readonly IOdockStore _store;
    private readonly TimeProvider _time;
    private readonly AuditTrail _audit;
    private readonly GrainRefresher _grains;

    public ApiKeyService(IOdockStore store, TimeProvider time, AuditTrail audit, GrainRefresher grains)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(grains);
        _store = store;
        _time = time;
        _audit = audit;
        _grains = grains;
    }

    public async Task<Page<ApiKeyResponse>> ListAsync(AdminCall call, ApiKeyFilter filter, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(page);
        var principal = call.Principal;
        var organisation = filter.OrganisationId ?? principal.OrganisationId
            ?? throw ApiProblemException.Invalid("organisation_id", "is required for a super admin");
        AccessRules.RequireMember(principal, organisation);
        var query = new ApiKeyListQuery(organisation)
        {
            TeamId = filter.TeamId, UserId = filter.UserId, Status = filter.Status, NamePrefix = filter.NamePrefix,
            Sort = page.Sort == "created_at" ? ApiKeySort.CreatedAt : ApiKeySort.Name, Descending = page.Descending, After = page.After,
            Limit = page.Limit + 1,
        };
        query = principal.Role switch
        {
            UserRole.Manager => query with { TeamsOfMember = principal.UserId },
            UserRole.User => query with { UserId = principal.UserId },
            _ => query,
        };
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var keys = await session.ApiKeys.ListPageAsync(query, call.Cancellation).ConfigureAwait(false);
        return Pages.FromProbe(
            keys.Select(k => ApiKeyResponse.Of(k, withGrants: false)).ToArray(), page, k => page.Sort == "created_at" ? UserService.Instant(k.CreatedAt) : k.Name, k => k.Id);
    }

    public async Task<ApiKeyResponse> GetAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        return ApiKeyResponse.Of(await ManageableAsync(session, call, id).ConfigureAwait(false), withGrants: true);
    }

    public async Task<CreatedApiKeyResponse> CreateAsync(AdminCall call, CreateApiKeyRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var principal = call.Principal;
        var organisation = request.OrganisationId ?? principal.OrganisationId ?? throw ApiProblemException.Invalid("organisation_id", "is required");
        AccessRules.RequireMember(principal, organisation);
        var scope = request.Scope ?? ApiKeyScope.User;
        if (scope == ApiKeyScope.User && request.UserId is null && principal.OrganisationId != organisation)
        {
            // A super admin belongs to no organisation, so cannot be the owner a user key defaults to.
            throw ApiProblemException.Invalid("user_id", "is required: a user key belongs to one of the organisation's users, and you are not one of them (or set scope to organisation or team)");
        }

        var userId = scope == ApiKeyScope.User ? request.UserId ?? principal.UserId : request.UserId;
        RequireMayCreate(principal, scope, request.TeamId, userId);
        var now = _time.GetUtcNow();
        var secret = SecretToken.Generate(ApiKey.SecretPrefix);
        var key = new ApiKey
        {
            Id = Guid.NewGuid(), OrganisationId = organisation, Name = request.Name!, Prefix = SecretToken.DisplayPrefix(secret, ApiKey.SecretPrefix),
            Hash = SecretToken.Hash(secret), Scope = scope, TeamId = request.TeamId, UserId = userId, ExpiresAt = request.ExpiresAt,
            Limits = request.Limits ?? ResourcePolicy.None, Routing = request.Routing, ModelGrants = request.ModelGrants ?? [], McpGrants = request.McpGrants ?? [],
            CreatedAt = now,
        };
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        await CheckReferencesAsync(session, call, key, request.ExpiresAt, now).ConfigureAwait(false);
        if (await session.ApiKeys.FindByNameAsync(organisation, key.Name ?? "", call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"An API key named '{key.Name}' already exists in this organisation.");
        }

        await session.ApiKeys.InsertAsync(key, call.Cancellation).ConfigureAwait(false);
        var response = ApiKeyResponse.Of(key, withGrants: true);
        await _audit.RecordAsync(session, call, organisation, "api_key.created", "api_key", key.Id, null, response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        // A secret tried before it existed is remembered as unknown by its grain; the refresh makes it work at once.
        await _grains.KeyChangedAsync([key.Hash]).ConfigureAwait(false);
        return new CreatedApiKeyResponse(response, secret, null);
    }

    public async Task<ApiKeyResponse> UpdateAsync(AdminCall call, Guid id, UpdateApiKeyRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        if (request.Status == ApiKeyStatus.Revoked)
        {
            throw ApiProblemException.Invalid("status", "use POST /api/admin/v1/api-keys/{id}/revoke to revoke a key");
        }

        return await ChangeAsync(call, id, "api_key.updated", request.ExpiresAt, (key, _) =>
        {
            if (key.Status == ApiKeyStatus.Revoked && request.Status is not null)
            {
                throw ApiProblemException.Conflict("A revoked key stays revoked; create a new key instead.");
            }

            return key with
            {
                Name = request.Name ?? key.Name,
                Status = request.Status ?? key.Status,
                ExpiresAt = request.ExpiresAt ?? key.ExpiresAt,
                Limits = request.Limits ?? key.Limits,
                Routing = request.Routing ?? key.Routing,
                ModelGrants = request.ModelGrants ?? key.ModelGrants,
                McpGrants = request.McpGrants ?? key.McpGrants,
            };
        }).ConfigureAwait(false);
    }

    /// <summary>Sets (or, with null, removes) the key's routing policy: the models that may serve its requests and how.</summary>
    public Task<ApiKeyResponse> SetRoutingAsync(AdminCall call, Guid id, RoutingPolicy? routing) =>
        ChangeAsync(call, id, routing is null ? "api_key.routing_removed" : "api_key.routing_set", null, (key, _) => key with { Routing = routing });

    public Task<ApiKeyResponse> RevokeAsync(AdminCall call, Guid id) =>
        ChangeAsync(call, id, "api_key.revoked", null, (key, _) => key with { Status = ApiKeyStatus.Revoked });

    public Task<ApiKeyResponse> ExpireAsync(AdminCall call, Guid id) =>
        ChangeAsync(call, id, "api_key.expired", null, (key, now) => key.IsExpired(now) ? key : key with { ExpiresAt = now });

    public async Task<CreatedApiKeyResponse> RotateAsync(AdminCall call, Guid id, RotateApiKeyRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var grace = TimeSpan.FromSeconds(request.GraceSeconds ?? 0);
        if (request.GraceSeconds is < 0 || grace > MaxGrace)
        {
            throw ApiProblemException.Invalid("grace_seconds", $"must be from 0 to {(long)MaxGrace.TotalSeconds} (7 days)");
        }

        var now = _time.GetUtcNow();
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var before = await ManageableAsync(session, call, id).ConfigureAwait(false);
        if (before.Status == ApiKeyStatus.Revoked)
        {
            throw ApiProblemException.Conflict("A revoked key cannot be rotated; create a new key instead.");
        }

        var secret = SecretToken.Generate(ApiKey.SecretPrefix);
        var after = before with { Hash = SecretToken.Hash(secret), Prefix = SecretToken.DisplayPrefix(secret, ApiKey.SecretPrefix) };
        await session.ApiKeys.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        DateTimeOffset? validUntil = grace > TimeSpan.Zero ? now + grace : null;
        if (validUntil is { } until)
        {
            await session.ApiKeys.RetireSecretAsync(id, before.Hash, until, call.Cancellation).ConfigureAwait(false);
        }

        var retired = await session.ApiKeys.ListRetiredHashesAsync(id, call.Cancellation).ConfigureAwait(false);
        var response = ApiKeyResponse.Of(after, withGrants: true);
        await _audit.RecordAsync(session, call, before.OrganisationId, "api_key.rotated", "api_key", id, ApiKeyResponse.Of(before, withGrants: true), response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        await _grains.KeyChangedAsync([after.Hash, before.Hash, .. retired]).ConfigureAwait(false);
        return new CreatedApiKeyResponse(response, secret, validUntil);
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var key = await ManageableAsync(session, call, id).ConfigureAwait(false);
        var retired = await session.ApiKeys.ListRetiredHashesAsync(id, call.Cancellation).ConfigureAwait(false);
        var servers = (await session.McpServers.ListAsync(key.OrganisationId, call.Cancellation).ConfigureAwait(false)).Where(s => s.ApiKeyId == id).Select(s => s.Name).ToArray();
        if (servers.Length > 0)
        {
            throw ApiProblemException.Conflict($"The API key '{key.Name}' owns MCP server(s) {string.Join(", ", servers)}; delete them or revoke the key instead.");
        }

        await session.ApiKeys.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _audit.RecordAsync(session, call, key.OrganisationId, "api_key.deleted", "api_key", id, ApiKeyResponse.Of(key, withGrants: true), null).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        await _grains.KeyChangedAsync([key.Hash, .. retired]).ConfigureAwait(false);
    }

    private async Task<ApiKeyResponse> ChangeAsync(AdminCall call, Guid id, string action, DateTimeOffset? requestedExpiry, Func<ApiKey, DateTimeOffset, ApiKey> change)
    {
        var now = _time.GetUtcNow();
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var before = await ManageableAsync(session, call, id).ConfigureAwait(false);
        var after = change(before, now);
        await CheckReferencesAsync(session, call, after, requestedExpiry, now).ConfigureAwait(false);
        if (after.Name != before.Name && await session.ApiKeys.FindByNameAsync(after.OrganisationId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"An API key named '{after.Name}' already exists in this organisation.");
        }

        await session.ApiKeys.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var retired = await session.ApiKeys.ListRetiredHashesAsync(id, call.Cancellation).ConfigureAwait(false);
        var response = ApiKeyResponse.Of(after, withGrants: true);
        await _audit.RecordAsync(session, call, before.OrganisationId, action, "api_key", id, ApiKeyResponse.Of(before, withGrants: true), response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        await _grains.KeyChangedAsync([after.Hash, .. retired]).ConfigureAwait(false);
        return response;
    }

    /// <summary>The key, if the caller may manage it: its organisation's admins, managers of its team, or the user it belongs to.</summary>
    private static async Task<ApiKey> ManageableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var key = await session.ApiKeys.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("API key", id);
        var principal = call.Principal;
        AccessRules.RequireSameOrganisation(principal, key.OrganisationId, "API key", id);
        if (!AccessRules.ManagesTeam(principal, key.TeamId) && key.UserId != principal.UserId)
        {
            throw ApiProblemException.Forbidden("You may only manage your own keys and, as a manager, the keys of your teams.");
        }

        return key;
    }

    private static void RequireMayCreate(AdminPrincipal principal, ApiKeyScope scope, Guid? teamId, Guid? userId)
    {
        if (AccessRules.IsOrganisationAdmin(principal))
        {
            return;
        }

        if (principal.Role == UserRole.Manager && scope != ApiKeyScope.Organisation && teamId is { } team && principal.TeamIds.Contains(team))
        {
            return;
        }

        if (scope == ApiKeyScope.User && userId == principal.UserId && (teamId is null || principal.TeamIds.Contains(teamId.Value)))
        {
            return;
        }

        throw ApiProblemException.Forbidden(principal.Role == UserRole.Manager
            ? "A manager may create team and user keys in the teams they belong to, and their own keys."
            : "A user may only create their own user keys, in teams they belong to.");
    }

    /// <summary>Everything the key points at exists and belongs to its organisation, each problem named by its field.</summary>
    private static async Task CheckReferencesAsync(IStoreSession session, AdminCall call, ApiKey key, DateTimeOffset? requestedExpiry, DateTimeOffset now)
    {
        var validator = new Validator();
        if (requestedExpiry is { } expiry && expiry <= now)
        {
            validator.Add("expires_at", "must be in the future (use POST /api/admin/v1/api-keys/{id}/expire to end a key now)");
        }

        validator.AddRange(string.Empty, key.Validate().Where(p => p.Field is not ("hash" or "prefix")));
        if (key.TeamId is { } team && (await session.Teams.GetAsync(team, call.Cancellation).ConfigureAwait(false))?.OrganisationId != key.OrganisationId)
        {
            validator.Add("team_id", $"no team with id {team} in the key's organisation");
        }

        if (key.UserId is { } user && (await session.Users.GetAsync(user, call.Cancellation).ConfigureAwait(false))?.OrganisationId != key.OrganisationId)
        {
            validator.Add("user_id", $"no user with id {user} in the key's organisation");
        }

        for (var i = 0; i < key.ModelGrants.Count; i++)
        {
            if ((await session.Models.GetAsync(key.ModelGrants[i], call.Cancellation).ConfigureAwait(false))?.OrganisationId != key.OrganisationId)
            {
                validator.Add($"model_grants[{i}]", $"no model with id {key.ModelGrants[i]} in the key's organisation");
            }
        }

        for (var i = 0; i < (key.Routing?.Targets.Count ?? 0); i++)
        {
            var target = key.Routing!.Targets[i].Model;
            if (!string.IsNullOrEmpty(target) && await session.Models.FindByNameAsync(key.OrganisationId, target, call.Cancellation).ConfigureAwait(false) is null)
            {
                validator.Add($"routing.targets[{i}].model", $"no model named '{target}' in the key's organisation");
            }
        }

        for (var i = 0; i < key.McpGrants.Count; i++)
        {
            if ((await session.McpServers.GetAsync(key.McpGrants[i], call.Cancellation).ConfigureAwait(false))?.OrganisationId != key.OrganisationId)
            {
                validator.Add($"mcp_grants[{i}]", $"no MCP server with id {key.McpGrants[i]} in the key's organisation");
            }
        }

        if (!validator.IsValid)
        {
            throw ApiProblemException.Invalid(validator.Problems.Select(p => p with { Field = p.Field.TrimStart('.') }).ToArray());
        }
    }
}
