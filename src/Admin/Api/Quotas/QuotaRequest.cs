using Odock.Domain.Budgets;
using Odock.Domain.Periods;
using Odock.Domain.Quotas;

namespace Odock.Admin.Api.Quotas;

/// <summary>Create (all but time zone and enabled required) or partial update (organisation, scope, target and unit cannot change).</summary>
internal sealed record QuotaRequest(
    Guid? OrganisationId, string? Name, LimitScope? Scope, Guid? TargetId, QuotaUnit? Unit, long? Limit, PeriodKind? Period, string? TimeZone, bool? Enabled);
