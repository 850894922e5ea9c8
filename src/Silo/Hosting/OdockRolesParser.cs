namespace Odock.Silo.Hosting;

/// <summary>Parses <c>--roles silo,gateway,admin</c>.</summary>
internal static class OdockRolesParser
{
    public static bool TryParse(string? text, out OdockRoles roles, out string? error)
    {
        roles = OdockRoles.None;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            roles = OdockRoles.All;
            return true;
        }

        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var role = part.ToLowerInvariant() switch
            {
                "silo" => OdockRoles.Silo,
                "gateway" => OdockRoles.Gateway,
                "admin" => OdockRoles.Admin,
                "all" => OdockRoles.All,
                _ => OdockRoles.None,
            };
            if (role == OdockRoles.None)
            {
                error = $"'{part}' is not a role; use any of silo, gateway, admin (comma-separated) or all";
                return false;
            }

            roles |= role;
        }

        if (roles == OdockRoles.None)
        {
            error = "no role given; use any of silo, gateway, admin (comma-separated) or all";
            return false;
        }

        return true;
    }
}
