using Odock.Admin.Api.Access;
using Odock.Admin.Api.ApiKeys;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Resources;
using Odock.Admin.Api.Users;
using Odock.Domain.Common;
using Odock.Domain.Mcp;
using Odock.Domain.Policies;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Mcp;

/// <summary>
/// Governed MCP servers with their allowed and blocked tools, and the reverse view of MCP grants (which keys may use a
/// server; a key's grants are set on the key). Members read; organisation admins change.
/// </summary>
internal sealed class McpServerService
{
    private readonly AuditedStore _store;
    private readonly GrainRefresher _grains;

    public McpServerService(AuditedStore store, GrainRefresher grains)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grains);
        _store = store;
        _grains = grains;
    }

    public async Task<Page<McpServerResponse>> ListAsync(AdminCall call, Guid? organisationId, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        var organisation = OrganisationScope.ForListing(call, organisationId);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var servers = await session.McpServers.ListAsync(organisation, call.Cancellation).ConfigureAwait(false);
        return Pages.Of(servers.Select(McpServerResponse.Of), page, s => page.Sort == "created_at" ? UserService.Instant(s.CreatedAt) : s.Name, s => s.Id);
    }

    public Task<McpServerResponse> GetAsync(AdminCall call, Guid id) =>
        _store.ReadAsync(call, async session => McpServerResponse.Of(await ReadableAsync(session, call, id).ConfigureAwait(false)));

    public async Task<McpServerResponse> CreateAsync(AdminCall call, McpServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var organisation = OrganisationScope.ForCreation(call, request.OrganisationId);
        AccessRules.RequireOrganisationAdmin(call.Principal, organisation, "create MCP servers");
        if (request.Transport is not { } transport)
        {
            throw ApiProblemException.Invalid("transport", $"is required (one of: {WireName.Choices<McpTransport>()})");
        }

        var server = new McpServer
        {
            Id = Guid.NewGuid(), OrganisationId = organisation, Name = request.Name!, Transport = transport, Url = request.Url, Command = request.Command,
            Arguments = request.Arguments ?? [], TeamId = request.TeamId, ApiKeyId = request.ApiKeyId, AllowedTools = request.AllowedTools ?? [],
            BlockedTools = request.BlockedTools ?? [], Pricing = request.Pricing ?? McpPricing.Free, RateLimit = request.RateLimit ?? ResourcePolicy.None,
            Metadata = request.Metadata ?? new Dictionary<string, string>(), Enabled = request.Enabled ?? true, CreatedAt = _store.Now,
        };
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        await CheckAsync(session, call, server).ConfigureAwait(false);
        if (await session.McpServers.FindByNameAsync(organisation, server.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"An MCP server named '{server.Name}' already exists in this organisation.");
        }

        await session.McpServers.InsertAsync(server, call.Cancellation).ConfigureAwait(false);
        var response = McpServerResponse.Of(server);
        await _store.CommitAsync(session, call, organisation, "mcp_server.created", "mcp_server", server.Id, null, response).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(organisation).ConfigureAwait(false);
        return response;
    }

    public async Task<McpServerResponse> UpdateAsync(AdminCall call, Guid id, McpServerRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var before = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, before.OrganisationId, "change MCP servers");
        OrganisationScope.RefuseMove(request.OrganisationId, before.OrganisationId, "an MCP server");

        var after = before with
        {
            Name = request.Name ?? before.Name, Transport = request.Transport ?? before.Transport, Url = request.Url ?? before.Url, Command = request.Command ?? before.Command,
            Arguments = request.Arguments ?? before.Arguments, TeamId = request.TeamId ?? before.TeamId, ApiKeyId = request.ApiKeyId ?? before.ApiKeyId,
            AllowedTools = request.AllowedTools ?? before.AllowedTools, BlockedTools = request.BlockedTools ?? before.BlockedTools,
            Pricing = request.Pricing ?? before.Pricing, RateLimit = request.RateLimit ?? before.RateLimit, Metadata = request.Metadata ?? before.Metadata,
            Enabled = request.Enabled ?? before.Enabled,
        };
        await CheckAsync(session, call, after).ConfigureAwait(false);
        if (after.Name != before.Name && await session.McpServers.FindByNameAsync(before.OrganisationId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"An MCP server named '{after.Name}' already exists in this organisation.");
        }

        await session.McpServers.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = McpServerResponse.Of(after);
        await _store.CommitAsync(session, call, before.OrganisationId, "mcp_server.updated", "mcp_server", id, McpServerResponse.Of(before), response).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(before.OrganisationId).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var server = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, server.OrganisationId, "delete MCP servers");
        OrganisationScope.RefuseDeleteWhileGranted($"The MCP server '{server.Name}'", await session.ApiKeys.ListGrantedMcpServerAsync(id, 4, null, call.Cancellation).ConfigureAwait(false));
        await session.McpServers.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _store.CommitAsync(session, call, server.OrganisationId, "mcp_server.deleted", "mcp_server", id, McpServerResponse.Of(server), null).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(server.OrganisationId).ConfigureAwait(false);
    }

    /// <summary>Which keys may use the server (the reverse of keys' MCP grants), by name.</summary>
    public async Task<Page<ApiKeyResponse>> ListGrantedKeysAsync(AdminCall call, Guid id, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(page);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var server = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, server.OrganisationId, "list an MCP server's keys");
        var keys = await session.ApiKeys.ListGrantedMcpServerAsync(id, page.Limit + 1, page.After?.SortValue, call.Cancellation).ConfigureAwait(false);
        return Pages.FromProbe(keys.Select(k => ApiKeyResponse.Of(k, withGrants: false)).ToArray(), page, k => k.Name, k => k.Id);
    }

    private static async Task CheckAsync(IStoreSession session, AdminCall call, McpServer server)
    {
        var validator = new Validator();
        validator.AddRange(string.Empty, server.Validate());
        if (server.TeamId is { } team && (await session.Teams.GetAsync(team, call.Cancellation).ConfigureAwait(false))?.OrganisationId != server.OrganisationId)
        {
            validator.Add("team_id", $"no team with id {team} in the server's organisation");
        }

        if (server.ApiKeyId is { } key && (await session.ApiKeys.GetAsync(key, call.Cancellation).ConfigureAwait(false))?.OrganisationId != server.OrganisationId)
        {
            validator.Add("api_key_id", $"no API key with id {key} in the server's organisation");
        }

        if (!validator.IsValid)
        {
            throw ApiProblemException.Invalid(validator.Problems.Select(p => p with { Field = p.Field.TrimStart('.') }).ToArray());
        }
    }

    private static async Task<McpServer> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var server = await session.McpServers.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("MCP server", id);
        AccessRules.RequireSameOrganisation(call.Principal, server.OrganisationId, "MCP server", id);
        return server;
    }
}
