using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Resources;
using Odock.Admin.Api.Users;
using Odock.Domain.Providers;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Providers;

/// <summary>Upstream connections: every member of the organisation may read them, its admins change them.</summary>
internal sealed class ProviderService
{
    private readonly AuditedStore _store;
    private readonly GrainRefresher _grains;

    public ProviderService(AuditedStore store, GrainRefresher grains)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grains);
        _store = store;
        _grains = grains;
    }

    public async Task<Page<ProviderResponse>> ListAsync(AdminCall call, Guid? organisationId, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        var organisation = OrganisationScope.ForListing(call, organisationId);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var providers = await session.Providers.ListAsync(organisation, call.Cancellation).ConfigureAwait(false);
        return Pages.Of(providers.Select(ProviderResponse.Of), page, p => page.Sort == "created_at" ? UserService.Instant(p.CreatedAt) : p.Name, p => p.Id);
    }

    public Task<ProviderResponse> GetAsync(AdminCall call, Guid id) =>
        _store.ReadAsync(call, async session => ProviderResponse.Of(await ReadableAsync(session, call, id).ConfigureAwait(false)));

    public async Task<ProviderResponse> CreateAsync(AdminCall call, ProviderRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var organisation = OrganisationScope.ForCreation(call, request.OrganisationId);
        AccessRules.RequireOrganisationAdmin(call.Principal, organisation, "create providers");
        if (request.Type is not { } type)
        {
            throw ApiProblemException.Invalid("type", $"is required (one of: {Domain.Common.WireName.Choices<ProviderType>()})");
        }

        var provider = new Provider
        {
            Id = Guid.NewGuid(), OrganisationId = organisation, Name = request.Name!, Type = type, BaseUrl = request.BaseUrl,
            Settings = request.Settings ?? new Dictionary<string, string>(), Enabled = request.Enabled ?? true, CreatedAt = _store.Now,
        };
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        await OrganisationScope.RequireExistsAsync(session, call, organisation).ConfigureAwait(false);

        if (request.Name is not null && await session.Providers.FindByNameAsync(organisation, request.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A provider named '{request.Name}' already exists in this organisation.");
        }

        await session.Providers.InsertAsync(provider, call.Cancellation).ConfigureAwait(false);
        var response = ProviderResponse.Of(provider);
        await _store.CommitAsync(session, call, organisation, "provider.created", "provider", provider.Id, null, response).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(organisation).ConfigureAwait(false);
        return response;
    }

    public async Task<ProviderResponse> UpdateAsync(AdminCall call, Guid id, ProviderRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var before = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, before.OrganisationId, "change providers");
        if (request.Type is { } type && type != before.Type)
        {
            throw ApiProblemException.Invalid("type", "cannot change; create a new provider for another API family");
        }

        OrganisationScope.RefuseMove(request.OrganisationId, before.OrganisationId, "a provider");

        var after = before with
        {
            Name = request.Name ?? before.Name, BaseUrl = request.BaseUrl ?? before.BaseUrl, Settings = request.Settings ?? before.Settings,
            Enabled = request.Enabled ?? before.Enabled,
        };
        if (after.Name != before.Name && await session.Providers.FindByNameAsync(before.OrganisationId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A provider named '{after.Name}' already exists in this organisation.");
        }

        await session.Providers.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = ProviderResponse.Of(after);
        await _store.CommitAsync(session, call, before.OrganisationId, "provider.updated", "provider", id, ProviderResponse.Of(before), response).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(before.OrganisationId).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var provider = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, provider.OrganisationId, "delete providers");
        var models = (await session.Models.ListAsync(provider.OrganisationId, call.Cancellation).ConfigureAwait(false)).Where(m => m.ProviderId == id).Select(m => m.Name).ToArray();
        if (models.Length > 0)
        {
            throw ApiProblemException.Conflict($"The provider '{provider.Name}' is used by model(s) {string.Join(", ", models)}; move or delete them first.");
        }

        var keys = await session.ProviderKeys.ListAsync(id, call.Cancellation).ConfigureAwait(false);
        if (keys.Count > 0)
        {
            throw ApiProblemException.Conflict($"The provider '{provider.Name}' still has key(s) {string.Join(", ", keys.Select(k => k.Name))}; delete them first.");
        }

        await session.Providers.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _store.CommitAsync(session, call, provider.OrganisationId, "provider.deleted", "provider", id, ProviderResponse.Of(provider), null).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(provider.OrganisationId).ConfigureAwait(false);
    }

    /// <summary>The provider, if it belongs to the caller's organisation (or the caller is a super admin).</summary>
    internal static async Task<Provider> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var provider = await session.Providers.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("provider", id);
        AccessRules.RequireSameOrganisation(call.Principal, provider.OrganisationId, "provider", id);
        return provider;
    }
}
