using Odock.Domain.Pricing;
using Odock.Admin.Api.Access;
using Odock.Admin.Api.ApiKeys;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Resources;
using Odock.Admin.Api.Users;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Models;

/// <summary>
/// The organisation's model records (name, upstream slug, provider, pricing, policies, capabilities) and the reverse
/// view of access grants: which keys may call a model. Members read; organisation admins change.
/// </summary>
internal sealed class ModelService
{
    private readonly AuditedStore _store;
    private readonly GrainRefresher _grains;

    public ModelService(AuditedStore store, GrainRefresher grains)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grains);
        _store = store;
        _grains = grains;
    }

    public async Task<Page<ModelResponse>> ListAsync(AdminCall call, Guid? organisationId, Guid? providerId, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        var organisation = OrganisationScope.ForListing(call, organisationId);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var models = (await session.Models.ListAsync(organisation, call.Cancellation).ConfigureAwait(false)).Where(m => providerId is null || m.ProviderId == providerId);
        return Pages.Of(models.Select(ModelResponse.Of), page, m => page.Sort == "created_at" ? UserService.Instant(m.CreatedAt) : m.Name, m => m.Id);
    }

    public Task<ModelResponse> GetAsync(AdminCall call, Guid id) =>
        _store.ReadAsync(call, async session => ModelResponse.Of(await ReadableAsync(session, call, id).ConfigureAwait(false)));

    public async Task<ModelResponse> CreateAsync(AdminCall call, ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var organisation = OrganisationScope.ForCreation(call, request.OrganisationId);
        AccessRules.RequireOrganisationAdmin(call.Principal, organisation, "create models");
        var model = new Model
        {
            Id = Guid.NewGuid(), OrganisationId = organisation, Name = request.Name!, UpstreamSlug = request.UpstreamSlug!, ProviderId = request.ProviderId ?? Guid.Empty,
            ProviderKeyId = request.ProviderKeyId, Type = request.Type ?? ModelType.Chat, Capabilities = (request.Capabilities ?? []).ToHashSet(),
            Pricing = request.Pricing ?? ModelPriceSchedule.Free, Policies = request.Policies ?? ResourcePolicy.None, Enabled = request.Enabled ?? true, CreatedAt = _store.Now,
        };
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        await CheckAsync(session, call, model).ConfigureAwait(false);
        if (await session.Models.FindByNameAsync(organisation, model.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A model named '{model.Name}' already exists in this organisation.");
        }

        await session.Models.InsertAsync(model, call.Cancellation).ConfigureAwait(false);
        var response = ModelResponse.Of(model);
        await _store.CommitAsync(session, call, organisation, "model.created", "model", model.Id, null, response).ConfigureAwait(false);
        await _grains.ModelChangedAsync(organisation, model.Id).ConfigureAwait(false);
        return response;
    }

    public async Task<ModelResponse> UpdateAsync(AdminCall call, Guid id, ModelRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var before = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, before.OrganisationId, "change models");
        OrganisationScope.RefuseMove(request.OrganisationId, before.OrganisationId, "a model");

        var after = before with
        {
            Name = request.Name ?? before.Name, UpstreamSlug = request.UpstreamSlug ?? before.UpstreamSlug, ProviderId = request.ProviderId ?? before.ProviderId,
            ProviderKeyId = request.ProviderKeyId ?? before.ProviderKeyId, Type = request.Type ?? before.Type,
            Capabilities = request.Capabilities?.ToHashSet() ?? before.Capabilities, Pricing = request.Pricing ?? before.Pricing,
            Policies = request.Policies ?? before.Policies, Enabled = request.Enabled ?? before.Enabled,
        };
        await CheckAsync(session, call, after).ConfigureAwait(false);
        if (after.Name != before.Name && await session.Models.FindByNameAsync(before.OrganisationId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A model named '{after.Name}' already exists in this organisation.");
        }

        await session.Models.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = ModelResponse.Of(after);
        await _store.CommitAsync(session, call, before.OrganisationId, "model.updated", "model", id, ModelResponse.Of(before), response).ConfigureAwait(false);
        await _grains.ModelChangedAsync(before.OrganisationId, id).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var model = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, model.OrganisationId, "delete models");
        OrganisationScope.RefuseDeleteWhileGranted($"The model '{model.Name}'", await session.ApiKeys.ListGrantedModelAsync(id, 4, null, call.Cancellation).ConfigureAwait(false));
        await session.Models.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _store.CommitAsync(session, call, model.OrganisationId, "model.deleted", "model", id, ModelResponse.Of(model), null).ConfigureAwait(false);
        await _grains.ModelChangedAsync(model.OrganisationId, id).ConfigureAwait(false);
    }

    /// <summary>Which keys may call the model (the reverse of keys' model grants), by name.</summary>
    public async Task<Page<ApiKeyResponse>> ListGrantedKeysAsync(AdminCall call, Guid id, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(page);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var model = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, model.OrganisationId, "list a model's keys");
        var keys = await session.ApiKeys.ListGrantedModelAsync(id, page.Limit + 1, page.After?.SortValue, call.Cancellation).ConfigureAwait(false);
        return Pages.FromProbe(keys.Select(k => ApiKeyResponse.Of(k, withGrants: false)).ToArray(), page, k => k.Name, k => k.Id);
    }

    private static async Task CheckAsync(IStoreSession session, AdminCall call, Model model)
    {
        var validator = new Validator();
        validator.AddRange(string.Empty, model.Validate());
        if (model.ProviderId != Guid.Empty && (await session.Providers.GetAsync(model.ProviderId, call.Cancellation).ConfigureAwait(false))?.OrganisationId != model.OrganisationId)
        {
            validator.Add("provider_id", $"no provider with id {model.ProviderId} in the model's organisation");
        }

        if (model.ProviderKeyId is { } keyId && (await session.ProviderKeys.GetAsync(keyId, call.Cancellation).ConfigureAwait(false))?.ProviderId != model.ProviderId)
        {
            validator.Add("provider_key_id", $"no key with id {keyId} on the model's provider");
        }

        // The record calls the upstream slug "slug"; the API names it as clients send it.
        var problems = validator.Problems.Select(p => p with { Field = p.Field.TrimStart('.') is "slug" ? "upstream_slug" : p.Field.TrimStart('.') }).ToArray();
        if (problems.Length > 0)
        {
            throw ApiProblemException.Invalid(problems);
        }
    }

    private static async Task<Model> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var model = await session.Models.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("model", id);
        AccessRules.RequireSameOrganisation(call.Principal, model.OrganisationId, "model", id);
        return model;
    }
}
