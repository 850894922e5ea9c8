using Microsoft.AspNetCore.Http;
using Odock.Domain.Users;

namespace Odock.Admin.Api.Auth;

/// <summary>Who is calling, resolved once per request from the session cookie or the bearer token.</summary>
internal sealed record AdminPrincipal(Guid UserId, string Email, UserRole Role, Guid? OrganisationId, IReadOnlySet<Guid> TeamIds, Guid CredentialId)
{
    private const string ItemKey = "odock.admin.principal";

    /// <summary>How the audit log names this caller.</summary>
    public string Actor => $"user:{Email}";

    public bool IsSuperAdmin => Role == UserRole.SuperAdmin;

    public static AdminPrincipal From(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Items[ItemKey] as AdminPrincipal
            ?? throw new InvalidOperationException("The admin endpoint ran without authentication; map it inside the authenticated group.");
    }

    internal void AttachTo(HttpContext http) => http.Items[ItemKey] = this;
}
