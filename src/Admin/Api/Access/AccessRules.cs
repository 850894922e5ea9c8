using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Domain.Users;

namespace Odock.Admin.Api.Access;

/// <summary>
/// Who may do what, checked by every service method before it reads or writes. A super admin may do everything; an
/// organisation admin everything inside their organisation; a manager the teams they belong to; a user their own
/// things. Records of another organisation answer 404 (their existence is not disclosed); a role that is too small
/// for the action answers 403.
/// </summary>
internal static class AccessRules
{
    /// <summary>Anything that belongs to <paramref name="organisationId"/> is visible at all only to its members and super admins.</summary>
    public static void RequireSameOrganisation(AdminPrincipal principal, Guid organisationId, string entity, Guid id)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!principal.IsSuperAdmin && principal.OrganisationId != organisationId)
        {
            throw ApiProblemException.NotFound(entity, id);
        }
    }

    /// <summary>For an organisation named in a filter or a new record: another organisation's id is refused outright.</summary>
    public static void RequireMember(AdminPrincipal principal, Guid organisationId)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!principal.IsSuperAdmin && principal.OrganisationId != organisationId)
        {
            throw ApiProblemException.Forbidden("You have no access to that organisation.");
        }
    }

    public static void RequireSuperAdmin(AdminPrincipal principal, string action)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (!principal.IsSuperAdmin)
        {
            throw ApiProblemException.Forbidden($"Only a super admin may {action}.");
        }
    }

    /// <summary>Organisation-wide administration: super admins, and that organisation's admins.</summary>
    public static void RequireOrganisationAdmin(AdminPrincipal principal, Guid organisationId, string action)
    {
        RequireMember(principal, organisationId);
        if (principal.Role is not (UserRole.SuperAdmin or UserRole.OrganisationAdmin))
        {
            throw ApiProblemException.Forbidden($"Only an organisation admin may {action}.");
        }
    }

    public static bool IsOrganisationAdmin(AdminPrincipal principal) =>
        principal.Role is UserRole.SuperAdmin or UserRole.OrganisationAdmin;

    public static bool ManagesTeam(AdminPrincipal principal, Guid? teamId) =>
        IsOrganisationAdmin(principal) || (principal.Role == UserRole.Manager && teamId is { } team && principal.TeamIds.Contains(team));
}
