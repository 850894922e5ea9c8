namespace Odock.Admin.Bootstrap;

/// <summary>
/// What first run created. The generated password (when none was supplied) and the admin API token exist only here:
/// they are shown once and never stored in clear.
/// </summary>
public sealed record BootstrapResult(string AdminEmail, string? GeneratedPassword, string AdminToken);
