using Microsoft.Extensions.DependencyInjection;
using Odock.Bench.Load;
using Odock.Cluster;
using Odock.Grains.Governance;
using Odock.Storage.Connections;
using Odock.Storage.Store;
using Odock.Testing.Cluster;

namespace Odock.Bench.Hosting;

/// <summary>
/// The governance grains as a gateway reaches them, with the store they read: through a cluster client against one
/// silo over HTTP/2 (<see cref="CallPath.Remote"/>, PostgreSQL), or in local mode (<see cref="CallPath.Local"/>, SQLite).
/// </summary>
internal sealed class GovernanceHost : IAsyncDisposable
{
    private readonly Func<ValueTask> _dispose;

    private GovernanceHost(IOdockStore store, IGrainFactory grains, Func<ValueTask> dispose)
    {
        Store = store;
        Grains = grains;
        Governance = new GovernanceClient(grains, TimeProvider.System);
        _dispose = dispose;
    }

    public IOdockStore Store { get; }

    /// <summary>The caller's grain factory: the cluster client's, or the local process's.</summary>
    public IGrainFactory Grains { get; }

    public GovernanceClient Governance { get; }

    public static async Task<GovernanceHost> StartAsync(CallPath path) => path switch
    {
        CallPath.Remote => await StartRemoteAsync(),
        CallPath.Local => await StartLocalAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "Governance runs on the remote and local paths."),
    };

    public static async Task<GovernanceHost> StartLocalAsync()
    {
        var local = await LocalModeHost.StartAsync(AddGovernance);
        return new GovernanceHost(local.Services.GetRequiredService<IOdockStore>(), local.Grains, local.DisposeAsync);
    }

    public ValueTask DisposeAsync() => _dispose();

    private static async Task<GovernanceHost> StartRemoteAsync()
    {
        var cluster = await TestCluster.StartAsync(1, AddGovernance, new ClusterOptions());
        var client = await cluster.CreateClientAsync();
        var connections = new PostgresConnectionFactory(cluster.ConnectionString);
        return new GovernanceHost(new OdockStore(connections), client.Grains, async () =>
        {
            await connections.DisposeAsync();
            await cluster.DisposeAsync();
        });
    }

    private static void AddGovernance(IServiceCollection services)
    {
        services.AddSingleton<IOdockStore>(sp => new OdockStore(sp.GetRequiredService<IDbConnectionFactory>()));
        services.AddOdockGovernance();
    }
}
