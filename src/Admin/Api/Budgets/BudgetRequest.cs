using Odock.Domain.Budgets;
using Odock.Domain.Periods;

namespace Odock.Admin.Api.Budgets;

/// <summary>Create (all but time zone and enabled required) or partial update (organisation, scope and target cannot change).</summary>
internal sealed record BudgetRequest(
    Guid? OrganisationId, string? Name, LimitScope? Scope, Guid? TargetId, decimal? Amount, string? Currency, PeriodKind? Period, string? TimeZone, bool? Enabled);
