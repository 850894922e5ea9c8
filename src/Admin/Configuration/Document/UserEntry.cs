namespace Odock.Admin.Configuration.Document;

public sealed class UserEntry
{
    public string Email { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    /// <summary>organisation_admin, manager or user.</summary>
    public string Role { get; set; } = "user";

    /// <summary>Optional sign-in password, normally a <c>${ENV_VAR}</c> reference; stored hashed.</summary>
    public string? Password { get; set; }

    /// <summary>Names of teams in the same organisation.</summary>
    public List<string> Teams { get; set; } = [];
}
