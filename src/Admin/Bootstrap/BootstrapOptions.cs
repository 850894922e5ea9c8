namespace Odock.Admin.Bootstrap;

/// <summary>The first super admin. Bound from <c>Odock:Admin</c>; the password comes from <c>ODOCK_ADMIN_PASSWORD</c>.</summary>
public sealed class BootstrapOptions
{
    public const string SectionName = "Odock:Admin";

    public const string PasswordVariable = "ODOCK_ADMIN_PASSWORD";

    public string Email { get; set; } = "admin@odock.local";
}
