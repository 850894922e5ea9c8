namespace Odock.Domain.Users;

/// <summary>What a user may administer, from everything to their own usage.</summary>
public enum UserRole
{
    /// <summary>All organisations and shared platform configuration.</summary>
    SuperAdmin,
    /// <summary>Everything inside one organisation.</summary>
    OrganisationAdmin,
    /// <summary>Operational access to the teams they belong to.</summary>
    Manager,
    /// <summary>Self-service: their own keys, usage, invoices and the playground.</summary>
    User,
}
