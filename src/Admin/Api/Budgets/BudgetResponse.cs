using Odock.Domain.Budgets;
using Odock.Domain.Periods;

namespace Odock.Admin.Api.Budgets;

internal sealed record BudgetResponse(
    Guid Id, Guid OrganisationId, string Name, LimitScope Scope, Guid TargetId, decimal Amount, string Currency, PeriodKind Period, string TimeZone, bool Enabled,
    DateTimeOffset CreatedAt)
{
    public static BudgetResponse Of(Budget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        return new BudgetResponse(budget.Id, budget.OrganisationId, budget.Name, budget.Scope, budget.TargetId, budget.Amount, budget.Currency, budget.Period.Kind,
            budget.Period.TimeZoneId, budget.Enabled, budget.CreatedAt);
    }
}
