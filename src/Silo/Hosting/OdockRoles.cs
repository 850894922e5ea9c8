namespace Odock.Silo.Hosting;

/// <summary>What one <c>odock</c> process does. Any combination; all three by default (all-in-one).</summary>
[Flags]
internal enum OdockRoles
{
    None = 0,

    /// <summary>Hosts grains: API keys, budgets, quotas, rate limits, catalogs.</summary>
    Silo = 1,

    /// <summary>Terminates client AI traffic and asks grains for decisions.</summary>
    Gateway = 2,

    /// <summary>Serves the admin API and UI; bootstraps the first super admin.</summary>
    Admin = 4,

    All = Silo | Gateway | Admin,
}
