using Odock.Domain.Budgets;
using Odock.Domain.Periods;
using Odock.Domain.Quotas;

namespace Odock.Admin.Api.Quotas;

internal sealed record QuotaResponse(
    Guid Id, Guid OrganisationId, string Name, LimitScope Scope, Guid TargetId, QuotaUnit Unit, long Limit, PeriodKind Period, string TimeZone, bool Enabled,
    DateTimeOffset CreatedAt)
{
    public static QuotaResponse Of(Quota quota)
    {
        ArgumentNullException.ThrowIfNull(quota);
        return new QuotaResponse(quota.Id, quota.OrganisationId, quota.Name, quota.Scope, quota.TargetId, quota.Unit, quota.Limit, quota.Period.Kind,
            quota.Period.TimeZoneId, quota.Enabled, quota.CreatedAt);
    }
}
