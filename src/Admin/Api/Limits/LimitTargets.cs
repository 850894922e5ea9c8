using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Periods;
using Odock.Domain.Users;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Limits;

/// <summary>
/// What budgets and quotas share: whom they count (an organisation, team, user or key of the limit's organisation),
/// who may see and change them (organisation admins; managers for their teams' limits; users may read the limits on
/// themselves), and their period.
/// </summary>
internal static class LimitTargets
{
    public static async Task CheckTargetAsync(IStoreSession session, AdminCall call, Guid organisationId, LimitScope scope, Guid target, Validator validator)
    {
        var owner = scope switch
        {
            LimitScope.Organisation => target == organisationId ? organisationId : (Guid?)null,
            LimitScope.Team => (await session.Teams.GetAsync(target, call.Cancellation).ConfigureAwait(false))?.OrganisationId,
            LimitScope.User => (await session.Users.GetAsync(target, call.Cancellation).ConfigureAwait(false))?.OrganisationId,
            _ => (await session.ApiKeys.GetAsync(target, call.Cancellation).ConfigureAwait(false))?.OrganisationId,
        };
        if (owner != organisationId)
        {
            validator.Add("target_id", $"no {WireName.Of(scope).Replace('_', ' ')} with id {target} in the organisation");
        }
    }

    public static void RequireMayChange(AdminPrincipal principal, Guid organisationId, LimitScope scope, Guid target, string what)
    {
        AccessRules.RequireMember(principal, organisationId);
        if (!AccessRules.IsOrganisationAdmin(principal) && !(scope == LimitScope.Team && AccessRules.ManagesTeam(principal, target)))
        {
            throw ApiProblemException.Forbidden($"Only an organisation admin, or a manager for their own teams, may change {what}.");
        }
    }

    public static bool MayRead(AdminPrincipal principal, LimitScope scope, Guid target) =>
        AccessRules.IsOrganisationAdmin(principal)
        || (scope == LimitScope.Team && principal.TeamIds.Contains(target) && principal.Role == UserRole.Manager)
        || (scope == LimitScope.User && target == principal.UserId);

    public static Period PeriodOf(PeriodKind? kind, string? timeZone, Validator validator)
    {
        if (kind is null)
        {
            validator.Add("period", $"is required (one of: {WireName.Choices<PeriodKind>()})");
            return Period.Lifetime;
        }

        var zone = timeZone ?? "UTC";
        if (!Period.IsKnownTimeZone(zone))
        {
            validator.Add("time_zone", $"'{zone}' is not an IANA time zone (for example Europe/Paris)");
            return Period.Lifetime;
        }

        return new Period(kind.Value, zone);
    }
}
