using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Odock.Cluster;
using Odock.Grains.ApiKeys;
using Odock.Grains.Governance;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Store;
using Odock.Testing;

using Odock.Testing.Governance;

namespace Odock.Grains.Tests.Governance;

/// <summary>The governance grains in local mode on a fresh SQLite file, with a hand-moved clock: one all-in-one process.</summary>
internal sealed class LocalGovernance : IAsyncDisposable
{
    private readonly SqliteTestDatabase _database;
    private ServiceProvider _provider;

    private LocalGovernance(SqliteTestDatabase database, ServiceProvider provider, GovernanceSeed seed, ManualClock clock)
    {
        _database = database;
        _provider = provider;
        Seed = seed;
        Clock = clock;
    }

    public ManualClock Clock { get; }

    public GovernanceSeed Seed { get; }

    public IGrainFactory Grains => _provider.GetRequiredService<IGrainFactory>();

    public GovernanceClient Client => _provider.GetRequiredService<GovernanceClient>();

    public KeyUseRecorder KeyUses => _provider.GetRequiredService<KeyUseRecorder>();

    public static async Task<LocalGovernance> StartAsync()
    {
        var database = new SqliteTestDatabase();
        await new MigrationRunner(database.CreateConnectionFactory()).ApplyAsync();
        var clock = new ManualClock();
        var provider = Build(database, clock);
        return new LocalGovernance(database, provider, await GovernanceSeed.CreateAsync(provider.GetRequiredService<IOdockStore>()), clock);
    }

    /// <summary>Stops the process (grains deactivate) and starts a new one on the same file: what a restart does.</summary>
    public async Task RestartAsync()
    {
        await StopAsync(_provider);
        _provider = Build(_database, Clock);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(_provider);
        _database.Dispose();
    }

    private static ServiceProvider Build(SqliteTestDatabase database, TimeProvider clock)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(clock);
        var connections = database.CreateConnectionFactory();
        services.AddSingleton<IDbConnectionFactory>(connections);
        services.AddSingleton<IOdockStore>(new OdockStore(connections));
        services.AddOdockGovernance();
        services.AddOdockLocalCluster(new ClusterOptions());
        return services.BuildServiceProvider();
    }

    private static async Task StopAsync(ServiceProvider provider)
    {
        foreach (var hosted in provider.GetServices<IHostedService>())
        {
            await hosted.StopAsync(CancellationToken.None);
        }

        await provider.DisposeAsync();
    }
}
