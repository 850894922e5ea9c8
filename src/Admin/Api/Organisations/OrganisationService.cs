using Odock.Admin.Api.Access;
using Odock.Admin.Api.Audit;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Paging;
using Odock.Domain.Organisations;
using Odock.Storage.Repositories;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Organisations;

/// <summary>Tenants: super admins create and delete them; an organisation's own admins may rename it.</summary>
internal sealed class OrganisationService
{
    private readonly IOdockStore _store;
    private readonly TimeProvider _time;
    private readonly AuditTrail _audit;
    private readonly GrainRefresher _grains;

    public OrganisationService(IOdockStore store, TimeProvider time, AuditTrail audit, GrainRefresher grains)
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

    public async Task<Page<OrganisationResponse>> ListAsync(AdminCall call, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var all = await session.Organisations.ListAsync(call.Cancellation).ConfigureAwait(false);
        var visible = call.Principal.IsSuperAdmin ? all : all.Where(o => o.Id == call.Principal.OrganisationId);
        return Pages.Of(visible.Select(OrganisationResponse.Of), page, o => page.Sort == "created_at" ? Users.UserService.Instant(o.CreatedAt) : o.Name, o => o.Id);
    }

    public async Task<OrganisationResponse> GetAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        AccessRules.RequireSameOrganisation(call.Principal, id, "organisation", id);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var organisation = await session.Organisations.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("organisation", id);
        return OrganisationResponse.Of(organisation);
    }

    public async Task<OrganisationResponse> CreateAsync(AdminCall call, OrganisationRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        AccessRules.RequireSuperAdmin(call.Principal, "create organisations");
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(), Name = request.Name!, DisplayName = request.DisplayName, Enabled = request.Enabled ?? true, CreatedAt = _time.GetUtcNow(),
        };
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        if (request.Name is not null && await session.Organisations.FindByNameAsync(request.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"An organisation named '{request.Name}' already exists.");
        }

        await session.Organisations.InsertAsync(organisation, call.Cancellation).ConfigureAwait(false);
        var response = OrganisationResponse.Of(organisation);
        await _audit.RecordAsync(session, call, organisation.Id, "organisation.created", "organisation", organisation.Id, null, response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        return response;
    }

    public async Task<OrganisationResponse> UpdateAsync(AdminCall call, Guid id, OrganisationRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        AccessRules.RequireSameOrganisation(call.Principal, id, "organisation", id);
        AccessRules.RequireOrganisationAdmin(call.Principal, id, "change the organisation");
        if ((request.Name is not null || request.Enabled is not null) && !call.Principal.IsSuperAdmin)
        {
            throw ApiProblemException.Forbidden("Only a super admin may rename, enable or disable an organisation; organisation admins may change its display name.");
        }

        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var before = await session.Organisations.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("organisation", id);
        var after = before with { Name = request.Name ?? before.Name, DisplayName = request.DisplayName ?? before.DisplayName, Enabled = request.Enabled ?? before.Enabled };
        if (after.Name != before.Name && await session.Organisations.FindByNameAsync(after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"An organisation named '{after.Name}' already exists.");
        }

        await session.Organisations.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = OrganisationResponse.Of(after);
        await _audit.RecordAsync(session, call, id, "organisation.updated", "organisation", id, OrganisationResponse.Of(before), response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(id).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        AccessRules.RequireSuperAdmin(call.Principal, "delete organisations");
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var organisation = await session.Organisations.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("organisation", id);
        var users = (await session.Users.ListAsync(id, call.Cancellation).ConfigureAwait(false)).Count;
        var teams = (await session.Teams.ListAsync(id, call.Cancellation).ConfigureAwait(false)).Count;
        var providers = (await session.Providers.ListAsync(id, call.Cancellation).ConfigureAwait(false)).Count;
        var hasKeys = (await session.ApiKeys.ListPageAsync(new ApiKeyListQuery(id) { Limit = 1 }, call.Cancellation).ConfigureAwait(false)).Count > 0;
        if (users + teams + providers > 0 || hasKeys)
        {
            throw ApiProblemException.Conflict(
                $"The organisation '{organisation.Name}' still has {users} user(s), {teams} team(s), {providers} provider(s){(hasKeys ? " and API keys" : "")}; delete them first.");
        }

        await session.Organisations.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _audit.RecordAsync(session, call, id, "organisation.deleted", "organisation", id, OrganisationResponse.Of(organisation), null).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
    }
}
