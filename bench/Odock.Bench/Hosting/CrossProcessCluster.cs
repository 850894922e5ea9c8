using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Odock.Bench.Grains;
using Odock.Cluster;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Testing;

namespace Odock.Bench.Hosting;

/// <summary>
/// A one-silo cluster whose silo is a child process (this executable in <c>silo</c> mode) and whose client lives here:
/// the gateway-to-silo hop exactly as two processes on one machine make it, each with its own thread pool and heap.
/// </summary>
internal sealed class CrossProcessCluster : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly PostgresTestDatabase _database;
    private readonly PostgresConnectionFactory _connections;
    private readonly Process _silo;
    private readonly ServiceProvider _client;
    private readonly IHostedService[] _hosted;

    private CrossProcessCluster(PostgresTestDatabase database, PostgresConnectionFactory connections, Process silo, ServiceProvider client, IHostedService[] hosted)
    {
        _database = database;
        _connections = connections;
        _silo = silo;
        _client = client;
        _hosted = hosted;
    }

    public IGrainFactory Grains => _client.GetRequiredService<IGrainFactory>();

    /// <summary>CPU time the silo process has used so far.</summary>
    public TimeSpan SiloCpuTime
    {
        get
        {
            _silo.Refresh();
            return _silo.TotalProcessorTime;
        }
    }

    public static async Task<CrossProcessCluster> StartAsync()
    {
        var database = await PostgresTestDatabase.CreateAsync("odock_bench");
        var connections = database.CreateConnectionFactory();
        await new MigrationRunner(connections).ApplyAsync();
        var silo = await StartSiloAsync(database.ConnectionString);
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IDbConnectionFactory>(connections);
        BenchGrainRegistration.AddBenchGrains(services);
        services.AddOdockClusterClient(new ClusterOptions());
        var client = services.BuildServiceProvider();
        var hosted = client.GetServices<IHostedService>().ToArray();
        foreach (var service in hosted)
        {
            await service.StartAsync(CancellationToken.None);
        }

        var cluster = new CrossProcessCluster(database, connections, silo, client, hosted);
        await cluster.WaitUntilServingAsync();
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _hosted)
        {
            await service.StopAsync(CancellationToken.None);
        }

        await _client.DisposeAsync();
        await StopSiloAsync();
        await _connections.DisposeAsync();
        await _database.DisposeAsync();
    }

    private static async Task<Process> StartSiloAsync(string connectionString)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CrossProcessCluster).Assembly.Location);
        }

        start.ArgumentList.Add("silo");
        start.Environment[BenchSilo.ConnectionStringVariable] = connectionString;
        var silo = Process.Start(start) ?? throw new InvalidOperationException("Could not start the silo process.");
        using var timeout = new CancellationTokenSource(StartTimeout);
        while (await silo.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == BenchSilo.ReadyLine)
            {
                // Keep draining what the silo prints (its warnings) so a full pipe never stalls it.
                _ = silo.StandardOutput.BaseStream.CopyToAsync(Console.OpenStandardError());
                return silo;
            }
        }

        silo.Kill();
        throw new InvalidOperationException($"The silo process exited with {silo.ExitCode} before it was ready.");
    }

    /// <summary>The silo claims its leases after it is ready; a call only succeeds once the client's directory shows them.</summary>
    private async Task WaitUntilServingAsync()
    {
        var probe = Grains.Get<IEchoGrain>("probe");
        var deadline = Stopwatch.GetTimestamp() + (long)(StartTimeout.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            try
            {
                await probe.Echo(1);
                return;
            }
            catch (ClusterUnavailableException) when (Stopwatch.GetTimestamp() < deadline)
            {
            }
        }
    }

    private async Task StopSiloAsync()
    {
        _silo.StandardInput.Close();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _silo.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            _silo.Kill();
        }

        _silo.Dispose();
    }
}
