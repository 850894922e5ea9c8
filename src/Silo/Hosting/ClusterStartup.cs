using Microsoft.AspNetCore.Server.Kestrel.Core;
using Odock.Cluster;
using Odock.Cluster.Hosting;
using Odock.Grains.Governance;
using Odock.Storage.Connections;

namespace Odock.Silo.Hosting;

/// <summary>
/// Chooses the grain runtime's shape from the roles and the storage engine: on SQLite one process owns every partition
/// (local mode); on PostgreSQL a process with the silo role joins the cluster and hosts grains, and one without it
/// only calls them (a gateway or admin frontend).
/// </summary>
internal static class ClusterStartup
{
    public static ClusterOptions ReadOptions(IConfiguration configuration) =>
        SettingsBinder.Bind<ClusterOptions>(configuration, ClusterOptions.SectionName, options => options.Validate());

    /// <summary>Registers the runtime and the listeners: the client-facing one first, then (silo in a cluster) the HTTP/2 cluster listener.</summary>
    public static void Add(WebApplicationBuilder builder, OdockHostOptions host, StorageOptions storage, ClusterOptions options)
    {
        var roles = host.ParsedRoles;
        ClusterEndpointBinding? binding = null;
        builder.Services.AddOdockGovernance();
        if (storage.Engine == StorageEngine.Sqlite)
        {
            if (!roles.HasFlag(OdockRoles.Silo))
            {
                throw new StartupFailure(
                    StartupFailure.BadConfiguration,
                    $"Odock:Roles: '{host.Roles}' leaves out the silo role, so this process must call grains in a cluster, and a cluster needs PostgreSQL (Odock:Storage:PostgresConnectionString); on SQLite run all roles in one process");
            }

            builder.Services.AddOdockLocalCluster(options);
        }
        else if (roles.HasFlag(OdockRoles.Silo))
        {
            builder.Services.AddOdockSilo(options);
            binding = new ClusterEndpointBinding();
            builder.Services.AddSingleton(binding);
        }
        else
        {
            builder.Services.AddOdockClusterClient(options);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            Listen(kestrel, host.Listen);
            if (binding is not null)
            {
                kestrel.ListenForCluster(options, binding);
            }
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string url)
    {
        var uri = new Uri(url);
        Action<ListenOptions> configure = uri.Scheme == Uri.UriSchemeHttps ? listen => listen.UseHttps() : _ => { };
        switch (uri.Host)
        {
            case "localhost":
                kestrel.ListenLocalhost(uri.Port, configure);
                break;
            case "*" or "+" or "0.0.0.0" or "[::]":
                kestrel.ListenAnyIP(uri.Port, configure);
                break;
            default:
                kestrel.Listen(System.Net.IPAddress.Parse(uri.Host.Trim('[', ']')), uri.Port, configure);
                break;
        }
    }
}
