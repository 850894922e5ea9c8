using Microsoft.Extensions.DependencyInjection;
using Odock.Bench.Grains;
using Odock.Cluster;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Testing;

namespace Odock.Bench.Hosting;

/// <summary>
/// The all-in-one shape: one process on a throwaway SQLite file, every partition local, every call in-process.
/// Hosted services are not started; the bench grains hold no state and live far shorter than the idle age.
/// </summary>
internal sealed class LocalModeHost : IAsyncDisposable
{
    private readonly SqliteTestDatabase _database;
    private readonly ServiceProvider _provider;

    private LocalModeHost(SqliteTestDatabase database, ServiceProvider provider)
    {
        _database = database;
        _provider = provider;
    }

    public IServiceProvider Services => _provider;

    public IGrainFactory Grains => _provider.GetRequiredService<IGrainFactory>();

    /// <param name="register">More grains and services beside the bench grains (the governance grains and their store).</param>
    public static async Task<LocalModeHost> StartAsync(Action<IServiceCollection>? register = null)
    {
        var database = new SqliteTestDatabase();
        await new MigrationRunner(database.CreateConnectionFactory()).ApplyAsync();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDbConnectionFactory>(database.CreateConnectionFactory());
        BenchGrainRegistration.AddBenchGrains(services);
        register?.Invoke(services);
        services.AddOdockLocalCluster(new ClusterOptions());
        return new LocalModeHost(database, services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        _database.Dispose();
    }
}
