using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Limits;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Resources;
using Odock.Admin.Api.Users;
using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Grains.Budgets;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Budgets;

/// <summary>Spending limits; every change is pushed to the budget's grain, which applies a new amount at once.</summary>
internal sealed class BudgetService
{
    private readonly AuditedStore _store;
    private readonly GrainRefresher _grains;

    public BudgetService(AuditedStore store, GrainRefresher grains)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(grains);
        _store = store;
        _grains = grains;
    }

    public async Task<Page<BudgetResponse>> ListAsync(AdminCall call, Guid? organisationId, Guid? targetId, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        var organisation = OrganisationScope.ForListing(call, organisationId);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var budgets = (await session.Budgets.ListAsync(organisation, call.Cancellation).ConfigureAwait(false))
            .Where(b => (targetId is null || b.TargetId == targetId) && LimitTargets.MayRead(call.Principal, b.Scope, b.TargetId));
        return Pages.Of(budgets.Select(BudgetResponse.Of), page, b => page.Sort == "created_at" ? UserService.Instant(b.CreatedAt) : b.Name, b => b.Id);
    }

    /// <summary>The budget's figures in its current window, read from its grain by whoever may read the budget.</summary>
    public async Task<LimitStatusResponse> StatusAsync(AdminCall call, Guid id)
    {
        await _store.ReadAsync(call, session => ReadableAsync(session, call, id)).ConfigureAwait(false);
        return LimitStatusResponse.Of(id, await _grains.StatusAsync<IBudgetGrain>(id, "budget").ConfigureAwait(false));
    }

    public Task<BudgetResponse> GetAsync(AdminCall call, Guid id) =>
        _store.ReadAsync(call, async session => BudgetResponse.Of(await ReadableAsync(session, call, id).ConfigureAwait(false)));

    public async Task<BudgetResponse> CreateAsync(AdminCall call, BudgetRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var organisation = OrganisationScope.ForCreation(call, request.OrganisationId);
        var scope = request.Scope ?? LimitScope.Organisation;
        var target = LimitTargets.TargetOf(organisation, scope, request.TargetId);
        LimitTargets.RequireMayChange(call.Principal, organisation, scope, target, "budgets");
        var validator = new Validator();
        if (request.Amount is null)
        {
            validator.Add("amount", "is required");
        }

        var period = LimitTargets.PeriodOf(request.Period, request.TimeZone, validator);
        var budget = new Budget
        {
            Id = Guid.NewGuid(), OrganisationId = organisation, Name = request.Name!, Scope = scope, TargetId = target, Amount = request.Amount ?? 0,
            Currency = request.Currency!, Period = period, Enabled = request.Enabled ?? true, CreatedAt = _store.Now,
        };
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        await LimitTargets.CheckTargetAsync(session, call, organisation, scope, target, validator).ConfigureAwait(false);
        validator.AddRange(string.Empty, budget.Validate());
        LimitTargets.ThrowIfInvalid(validator);
        if (await session.Budgets.FindByNameAsync(organisation, budget.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A budget named '{budget.Name}' already exists in this organisation.");
        }

        await session.Budgets.InsertAsync(budget, call.Cancellation).ConfigureAwait(false);
        var response = BudgetResponse.Of(budget);
        await _store.CommitAsync(session, call, organisation, "budget.created", "budget", budget.Id, null, response).ConfigureAwait(false);
        await _grains.BudgetChangedAsync(budget.Id).ConfigureAwait(false);
        await _grains.KeysUnderLimitChangedAsync(organisation, scope, target, call.Cancellation).ConfigureAwait(false);
        return response;
    }

    public async Task<BudgetResponse> UpdateAsync(AdminCall call, Guid id, BudgetRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var before = await ReadableAsync(session, call, id).ConfigureAwait(false);
        LimitTargets.RequireMayChange(call.Principal, before.OrganisationId, before.Scope, before.TargetId, "budgets");
        var validator = new Validator();
        LimitTargets.RefuseRetarget(before.Scope, before.TargetId, request.Scope, request.TargetId, "budget", validator);

        var period = LimitTargets.RevisedPeriod(before.Period, request.Period, request.TimeZone, validator);
        var after = before with
        {
            Name = request.Name ?? before.Name, Amount = request.Amount ?? before.Amount, Currency = request.Currency ?? before.Currency, Period = period,
            Enabled = request.Enabled ?? before.Enabled,
        };
        validator.AddRange(string.Empty, after.Validate());
        LimitTargets.ThrowIfInvalid(validator);
        if (after.Name != before.Name && await session.Budgets.FindByNameAsync(before.OrganisationId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A budget named '{after.Name}' already exists in this organisation.");
        }

        await session.Budgets.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = BudgetResponse.Of(after);
        await _store.CommitAsync(session, call, before.OrganisationId, "budget.updated", "budget", id, BudgetResponse.Of(before), response).ConfigureAwait(false);
        await _grains.BudgetChangedAsync(id).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var budget = await ReadableAsync(session, call, id).ConfigureAwait(false);
        LimitTargets.RequireMayChange(call.Principal, budget.OrganisationId, budget.Scope, budget.TargetId, "budgets");
        await session.Budgets.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _store.CommitAsync(session, call, budget.OrganisationId, "budget.deleted", "budget", id, BudgetResponse.Of(budget), null).ConfigureAwait(false);
        await _grains.BudgetChangedAsync(id).ConfigureAwait(false);
    }

    private static async Task<Budget> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var budget = await session.Budgets.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("budget", id);
        AccessRules.RequireSameOrganisation(call.Principal, budget.OrganisationId, "budget", id);
        LimitTargets.RequireMayRead(call.Principal, budget.Scope, budget.TargetId, "budgets");

        return budget;
    }
}
