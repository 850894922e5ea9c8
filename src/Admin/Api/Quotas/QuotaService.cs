using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Limits;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Resources;
using Odock.Admin.Api.Users;
using Odock.Domain.Budgets;
using Odock.Domain.Quotas;
using Odock.Domain.Common;
using Odock.Grains.Budgets;
using Odock.Grains.Quotas;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Quotas;

/// <summary>Request and token limits; every change is pushed to the quota's grain, which applies a new limit at once.</summary>
internal sealed class QuotaService
{
    private readonly AuditedStore _store;
    private readonly GrainRefresher _grains;

    public QuotaService(AuditedStore store, GrainRefresher grains)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grains);
        _store = store;
        _grains = grains;
    }

    public async Task<Page<QuotaResponse>> ListAsync(AdminCall call, Guid? organisationId, Guid? targetId, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        var organisation = OrganisationScope.ForListing(call, organisationId);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var quotas = (await session.Quotas.ListAsync(organisation, call.Cancellation).ConfigureAwait(false))
            .Where(b => (targetId is null || b.TargetId == targetId) && LimitTargets.MayRead(call.Principal, b.Scope, b.TargetId));
        return Pages.Of(quotas.Select(QuotaResponse.Of), page, b => page.Sort == "created_at" ? UserService.Instant(b.CreatedAt) : b.Name, b => b.Id);
    }

    /// <summary>The quota's figures in its current window, read from its grain by whoever may read the quota.</summary>
    public async Task<LimitStatusResponse> StatusAsync(AdminCall call, Guid id)
    {
        await _store.ReadAsync(call, session => ReadableAsync(session, call, id)).ConfigureAwait(false);
        return LimitStatusResponse.Of(id, await _grains.StatusAsync<IQuotaGrain>(id, "quota").ConfigureAwait(false));
    }

    public Task<QuotaResponse> GetAsync(AdminCall call, Guid id) =>
        _store.ReadAsync(call, async session => QuotaResponse.Of(await ReadableAsync(session, call, id).ConfigureAwait(false)));

    public async Task<QuotaResponse> CreateAsync(AdminCall call, QuotaRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var organisation = OrganisationScope.ForCreation(call, request.OrganisationId);
        var scope = request.Scope ?? LimitScope.Organisation;
        var target = LimitTargets.TargetOf(organisation, scope, request.TargetId);
        LimitTargets.RequireMayChange(call.Principal, organisation, scope, target, "quotas");
        var validator = new Validator();
        if (request.Limit is null)
        {
            validator.Add("limit", "is required");
        }

        if (request.Unit is null)
        {
            validator.Add("unit", $"is required (one of: {WireName.Choices<QuotaUnit>()})");
        }

        var period = LimitTargets.PeriodOf(request.Period, request.TimeZone, validator);
        var quota = new Quota
        {
            Id = Guid.NewGuid(), OrganisationId = organisation, Name = request.Name!, Scope = scope, TargetId = target, Unit = request.Unit ?? QuotaUnit.Requests,
            Limit = request.Limit ?? 0, Period = period, Enabled = request.Enabled ?? true, CreatedAt = _store.Now,
        };
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        await LimitTargets.CheckTargetAsync(session, call, organisation, scope, target, validator).ConfigureAwait(false);
        validator.AddRange(string.Empty, quota.Validate());
        LimitTargets.ThrowIfInvalid(validator);
        if (await session.Quotas.FindByNameAsync(organisation, quota.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A quota named '{quota.Name}' already exists in this organisation.");
        }

        await session.Quotas.InsertAsync(quota, call.Cancellation).ConfigureAwait(false);
        var response = QuotaResponse.Of(quota);
        await _store.CommitAsync(session, call, organisation, "quota.created", "quota", quota.Id, null, response).ConfigureAwait(false);
        await _grains.QuotaChangedAsync(quota.Id).ConfigureAwait(false);
        await _grains.KeysUnderLimitChangedAsync(organisation, scope, target, call.Cancellation).ConfigureAwait(false);
        return response;
    }

    public async Task<QuotaResponse> UpdateAsync(AdminCall call, Guid id, QuotaRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var before = await ReadableAsync(session, call, id).ConfigureAwait(false);
        LimitTargets.RequireMayChange(call.Principal, before.OrganisationId, before.Scope, before.TargetId, "quotas");
        var validator = new Validator();
        LimitTargets.RefuseRetarget(before.Scope, before.TargetId, request.Scope, request.TargetId, "quota", validator);

        if (request.Unit is { } unit && unit != before.Unit)
        {
            validator.Add("unit", "cannot change; create another quota");
        }

        var period = LimitTargets.RevisedPeriod(before.Period, request.Period, request.TimeZone, validator);
        var after = before with
        {
            Name = request.Name ?? before.Name, Limit = request.Limit ?? before.Limit, Period = period,
            Enabled = request.Enabled ?? before.Enabled,
        };
        validator.AddRange(string.Empty, after.Validate());
        LimitTargets.ThrowIfInvalid(validator);
        if (after.Name != before.Name && await session.Quotas.FindByNameAsync(before.OrganisationId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A quota named '{after.Name}' already exists in this organisation.");
        }

        await session.Quotas.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = QuotaResponse.Of(after);
        await _store.CommitAsync(session, call, before.OrganisationId, "quota.updated", "quota", id, QuotaResponse.Of(before), response).ConfigureAwait(false);
        await _grains.QuotaChangedAsync(id).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var quota = await ReadableAsync(session, call, id).ConfigureAwait(false);
        LimitTargets.RequireMayChange(call.Principal, quota.OrganisationId, quota.Scope, quota.TargetId, "quotas");
        await session.Quotas.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _store.CommitAsync(session, call, quota.OrganisationId, "quota.deleted", "quota", id, QuotaResponse.Of(quota), null).ConfigureAwait(false);
        await _grains.QuotaChangedAsync(id).ConfigureAwait(false);
    }

    private static async Task<Quota> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var quota = await session.Quotas.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("quota", id);
        AccessRules.RequireSameOrganisation(call.Principal, quota.OrganisationId, "quota", id);
        LimitTargets.RequireMayRead(call.Principal, quota.Scope, quota.TargetId, "quotas");

        return quota;
    }
}
