using System.Data.Common;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Cluster;
using Odock.Cluster.Hosting;
using Odock.Cluster.Identity;
using Npgsql;
using Odock.Storage.Connections;
using Odock.Testing.Network;
using Odock.Storage.Migrations;

namespace Odock.Testing.Cluster;

/// <summary>
/// Like Orleans' TestCluster: N silos in this process against one fresh PostgreSQL database, each with its own web
/// host on a free loopback port, plus independent clients. Silos can be added, stopped gracefully, killed and paused.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly PostgresTestDatabase _database;
    private readonly PostgresConnectionFactory _connections;
    private readonly Action<IServiceCollection> _grains;
    private readonly List<TestSilo> _silos = [];
    private readonly List<TestClient> _clients = [];

    private TestCluster(PostgresTestDatabase database, CuttableTcpProxy? link, Action<IServiceCollection> grains, ClusterOptions options)
    {
        _database = database;
        DatabaseLink = link;
        _connections = link is null
            ? database.CreateConnectionFactory()
            : new PostgresConnectionFactory(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = link.Port }.ConnectionString);
        _grains = grains;
        Options = options;
    }

    /// <summary>Short leases so failure tests run in seconds: L = 3 s, R = 0.5 s, δ = 0.6 s, suspicion 1.5 s.</summary>
    public static ClusterOptions FastOptions() => new()
    {
        PartitionCount = 64,
        LeaseLength = TimeSpan.FromSeconds(3),
        RenewInterval = TimeSpan.FromMilliseconds(500),
        SafetyMargin = TimeSpan.FromMilliseconds(600),
        SuspicionTimeout = TimeSpan.FromMilliseconds(1500),
        CallTimeout = TimeSpan.FromSeconds(8),
    };

    public ClusterOptions Options { get; }

    /// <summary>With <c>cuttableDatabase</c>: the link every silo and client reaches PostgreSQL through, to cut for outage tests.</summary>
    public CuttableTcpProxy? DatabaseLink { get; }

    public string ConnectionString => _database.ConnectionString;

    public IReadOnlyList<TestSilo> Silos => _silos;

    public IEnumerable<TestSilo> RunningSilos => _silos.Where(s => s.IsRunning);

    public static async Task<TestCluster> StartAsync(int silos, Action<IServiceCollection> grains, ClusterOptions? options = null, bool cuttableDatabase = false)
    {
        var database = await PostgresTestDatabase.CreateAsync("odock_cluster");
        CuttableTcpProxy? link = null;
        if (cuttableDatabase)
        {
            var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            var address = (await System.Net.Dns.GetHostAddressesAsync(server.Host!)).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
            link = new CuttableTcpProxy(new System.Net.IPEndPoint(address, server.Port));
        }

        var cluster = new TestCluster(database, link, grains, options ?? FastOptions());
        await new MigrationRunner(cluster._connections).ApplyAsync();
        for (var i = 0; i < silos; i++)
        {
            await cluster.AddSiloAsync(waitForBalance: false);
        }

        await cluster.WaitForBalanceAsync();
        return cluster;
    }

    public async Task<TestSilo> AddSiloAsync(bool waitForBalance = true)
    {
        var time = new PausableTimeProvider();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<IDbConnectionFactory>(_connections);
        _grains(builder.Services);
        builder.Services.AddOdockSilo(Clone(Options));
        var binding = new ClusterEndpointBinding();
        builder.Services.AddSingleton(binding);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForCluster(Options, binding));
        var app = builder.Build();
        app.MapOdockClusterEndpoints();
        var silo = new TestSilo(app, time);
        await silo.StartAsync();
        await WaitUntilAsync(() => silo.Address.Length > 0, "the silo to join");
        _silos.Add(silo);
        if (waitForBalance)
        {
            await WaitForBalanceAsync();
        }

        return silo;
    }

    /// <summary>A caller with its own partition directory and HTTP/2 connections, like a separate gateway process.</summary>
    public async Task<TestClient> CreateClientAsync()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDbConnectionFactory>(_connections);
        _grains(services);
        services.AddOdockClusterClient(Clone(Options));
        var provider = services.BuildServiceProvider();
        var hosted = provider.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var client = new TestClient(provider, hosted);
        _clients.Add(client);
        return client;
    }

    /// <summary>Waits until every partition is leased by the live silo rendezvous hashing wants, and that silo serves it.</summary>
    public Task WaitForBalanceAsync(TimeSpan? timeout = null) => WaitUntilAsync(IsBalancedAsync, "every partition to be served by its desired owner", timeout);

    public async Task<IReadOnlyDictionary<int, string>> ReadOwnersAsync()
    {
        await using var connection = await _connections.OpenAsync();
        var rows = await connection.QueryAsync<(int Partition, string Owner)>(
            "SELECT partition, owner_silo FROM cluster_partitions WHERE expires_at > now() AND owner_silo IS NOT NULL");
        return rows.ToDictionary(r => r.Partition, r => r.Owner);
    }

    public int PartitionOf(string grainType, string key) => StableHash.PartitionOf(new GrainId(grainType, key), Options.PartitionCount);

    public TestSilo OwnerOf(string grainType, string key) => RunningSilos.Single(s => s.Serves(PartitionOf(grainType, key)));

    public async Task<DbConnection> OpenConnectionAsync() => await _connections.OpenAsync();

    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null) =>
        await WaitUntilAsync(() => Task.FromResult(condition()), what, timeout);

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            await client.DisposeAsync();
        }

        foreach (var silo in _silos)
        {
            await silo.KillAsync();
        }

        await _connections.DisposeAsync();
        if (DatabaseLink is not null)
        {
            await DatabaseLink.DisposeAsync();
        }

        await _database.DisposeAsync();
    }

    private async Task<bool> IsBalancedAsync()
    {
        var running = RunningSilos.Where(s => !s.Time.IsFrozen).ToArray();
        var owners = await ReadOwnersAsync();
        var desired = Odock.Cluster.Placement.RendezvousPlacement.DesiredOwners(Options.PartitionCount, running.Select(s => s.Id).ToArray());
        for (var partition = 0; partition < Options.PartitionCount; partition++)
        {
            if (!owners.TryGetValue(partition, out var owner) || owner != desired[partition]
                || !running.Single(s => s.Id == owner).Serves(partition))
            {
                return false;
            }
        }

        return true;
    }

    private static ClusterOptions Clone(ClusterOptions options) => new()
    {
        PartitionCount = options.PartitionCount,
        LeaseLength = options.LeaseLength,
        RenewInterval = options.RenewInterval,
        SafetyMargin = options.SafetyMargin,
        SuspicionTimeout = options.SuspicionTimeout,
        IdleCollectionAge = options.IdleCollectionAge,
        MaxActivations = options.MaxActivations,
        CallTimeout = options.CallTimeout,
        Listen = options.Listen,
        AdvertisedAddress = options.AdvertisedAddress,
    };
}
