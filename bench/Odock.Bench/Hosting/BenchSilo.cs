using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Odock.Bench.Grains;
using Odock.Cluster;
using Odock.Cluster.Hosting;
using Odock.Storage.Connections;

namespace Odock.Bench.Hosting;

/// <summary>
/// The <c>silo</c> mode: this executable as a silo process hosting the bench grains, wired as the odock executable
/// wires its silo role. Prints <see cref="ReadyLine"/> once the cluster listener is bound and stops when its standard
/// input closes, so the parent that started it controls its life.
/// </summary>
internal static class BenchSilo
{
    public const string ReadyLine = "odock-bench-silo ready";

    /// <summary>The database's connection string, passed in the environment rather than on a command line anyone can list.</summary>
    public const string ConnectionStringVariable = "ODOCK_BENCH_SILO_POSTGRES";

    public static async Task<int> RunAsync()
    {
        if (Environment.GetEnvironmentVariable(ConnectionStringVariable) is not { Length: > 0 } connectionString)
        {
            await Console.Error.WriteLineAsync($"silo mode is started by the crossprocess path, with {ConnectionStringVariable} set.");
            return 2;
        }

        await using var connections = new PostgresConnectionFactory(connectionString);
        var options = new ClusterOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<IDbConnectionFactory>(connections);
        BenchGrainRegistration.AddBenchGrains(builder.Services);
        builder.Services.AddOdockSilo(options);
        var binding = new ClusterEndpointBinding();
        builder.Services.AddSingleton(binding);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenForCluster(options, binding));
        await using var app = builder.Build();
        app.MapOdockClusterEndpoints();
        await app.StartAsync();
        await Console.Out.WriteLineAsync(ReadyLine);
        await Console.Out.FlushAsync();
        await Console.In.ReadToEndAsync();
        await app.StopAsync();
        return 0;
    }
}
