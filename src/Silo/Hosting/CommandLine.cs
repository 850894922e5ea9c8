namespace Odock.Silo.Hosting;

/// <summary>Short command-line switches mapped onto configuration keys; any <c>--Odock:Section:Key=value</c> works too.</summary>
internal static class CommandLine
{
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--roles"] = "Odock:Roles",
        ["--listen"] = "Odock:Listen",
        ["--config"] = "Odock:ConfigFile",
        ["--postgres"] = "Odock:Storage:PostgresConnectionString",
        ["--sqlite"] = "Odock:Storage:SqlitePath",
        ["--cluster-listen"] = "Odock:Cluster:Listen",
        ["--advertise"] = "Odock:Cluster:AdvertisedAddress",
    };

    public static bool WantsHelp(string[] args) =>
        args.Any(a => a is "--help" or "-h" or "-?");

    public const string HelpText = """
        odock: the Odock AI governance cluster, in one executable.

        Usage: odock [options]

          --roles <list>      silo,gateway,admin in any combination (default: all three)
          --listen <url>      client-facing listener (default: http://127.0.0.1:8080)
          --config <file>     import a declarative configuration file (YAML) at start-up
          --postgres <conn>   store state in PostgreSQL (required for more than one process)
          --sqlite <file>     SQLite file used when no PostgreSQL is given (default: data/odock.db)
          --cluster-listen <url>  silo-to-silo HTTP/2 listener on PostgreSQL (default: http://127.0.0.1:0)
          --advertise <url>   the address other processes reach this silo at (default: the bound listener)
          --Odock:<Section>:<Key>=<value>   any other setting (see docs/CONFIG.md)

        Settings also come from appsettings.json and environment variables (ODOCK__STORAGE__SQLITEPATH=...).
        Environment: ODOCK_ADMIN_PASSWORD sets the first super admin's password on first run.
        """;
}
