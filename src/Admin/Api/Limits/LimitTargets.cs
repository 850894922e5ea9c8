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

    /// <summary>The limit's target: the one asked for, else the organisation itself for an organisation-wide limit.</summary>
    public static Guid TargetOf(Guid organisationId, LimitScope scope, Guid? requested) =>
        requested ?? (scope == LimitScope.Organisation ? organisationId : throw ApiProblemException.Invalid("target_id", "is required for this scope"));

    /// <summary>Scope and target say whom a limit counts; changing them would silently reassign what was counted.</summary>
    public static void RefuseRetarget(LimitScope scope, Guid target, LimitScope? requestedScope, Guid? requestedTarget, string what, Validator validator)
    {
        if ((requestedScope is { } asked && asked != scope) || (requestedTarget is { } moved && moved != target))
        {
            validator.Add("scope", $"scope and target cannot change; create another {what}");
        }
    }

    public static void RequireMayRead(AdminPrincipal principal, LimitScope scope, Guid target, string what)
    {
        if (!MayRead(principal, scope, target))
        {
            throw ApiProblemException.Forbidden($"You may only see the {what} of your teams and on yourself.");
        }
    }

    /// <summary>The period after a change: the current one unless the request names a kind or a time zone.</summary>
    public static Period RevisedPeriod(Period current, PeriodKind? kind, string? timeZone, Validator validator) =>
        kind is null && timeZone is null ? current : PeriodOf(kind ?? current.Kind, timeZone ?? current.TimeZoneId, validator);

    /// <summary>Throws the collected problems, with the record's "target" named "target_id" as the API calls it.</summary>
    public static void ThrowIfInvalid(Validator validator)
    {
        if (!validator.IsValid)
        {
            throw ApiProblemException.Invalid(validator.Problems.Select(p => p with { Field = p.Field.TrimStart('.') is "target" ? "target_id" : p.Field.TrimStart('.') }).DistinctBy(p => (p.Field, p.Message)).ToArray());
        }
    }
}
