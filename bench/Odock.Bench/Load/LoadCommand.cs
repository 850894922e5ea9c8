using Odock.Bench.Grains;
using Odock.Bench.Hosting;
using Odock.Cluster;
using Odock.Testing.Cluster;

namespace Odock.Bench.Load;

/// <summary>
/// The <c>remote</c> mode: for each requested path (<see cref="CallPath"/>) it starts what the path needs, activates
/// every key, then for each caller count runs a warm-up and a measured closed loop. Each host is stopped before the
/// next starts, so one path's background work never runs beside another's measurement.
/// </summary>
internal static class LoadCommand
{
    public static async Task<IReadOnlyList<LoadResult>> RunAsync(LoadOptions options, TextWriter progress)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var keys = Enumerable.Range(0, options.Keys).Select(i => $"echo-{i}").ToArray();
        var results = new List<LoadResult>();
        foreach (var path in options.Paths)
        {
            results.AddRange(await MeasurePathAsync(path, keys, options, progress));
        }

        return results;
    }

    private static async Task<IReadOnlyList<LoadResult>> MeasurePathAsync(CallPath path, string[] keys, LoadOptions options, TextWriter progress)
    {
        switch (path)
        {
            case CallPath.Remote:
            {
                await using var cluster = await TestCluster.StartAsync(1, BenchGrainRegistration.AddBenchGrains, new ClusterOptions());
                await using var client = await cluster.CreateClientAsync();
                return await MeasureAsync(path, Proxies(client.Grains, keys), CpuMeter.ThisProcess, options, progress);
            }

            case CallPath.CrossProcess:
            {
                await using var cluster = await CrossProcessCluster.StartAsync();
                var cpu = new CpuMeter(() => CpuMeter.ThisProcessCpuTime() + cluster.SiloCpuTime, () => cluster.SiloCpuTime);
                return await MeasureAsync(path, Proxies(cluster.Grains, keys), cpu, options, progress);
            }

            case CallPath.Http2Floor:
            {
                await using var floor = await Http2Floor.StartAsync();
                return await MeasureAsync(path, Enumerable.Repeat<IEchoGrain>(floor, keys.Length).ToArray(), CpuMeter.ThisProcess, options, progress);
            }

            case CallPath.Silo:
            {
                await using var cluster = await TestCluster.StartAsync(1, BenchGrainRegistration.AddBenchGrains, new ClusterOptions());
                return await MeasureAsync(path, Proxies(cluster.Silos[0].Grains, keys), CpuMeter.ThisProcess, options, progress);
            }

            default:
            {
                await using var local = await LocalModeHost.StartAsync();
                return await MeasureAsync(path, Proxies(local.Grains, keys), CpuMeter.ThisProcess, options, progress);
            }
        }
    }

    private static IEchoGrain[] Proxies(IGrainFactory factory, string[] keys) => keys.Select(factory.Get<IEchoGrain>).ToArray();

    private static async Task<IReadOnlyList<LoadResult>> MeasureAsync(
        CallPath path, IEchoGrain[] grains, CpuMeter cpu, LoadOptions options, TextWriter progress)
    {
        await ActivateAsync(grains);
        var results = new List<LoadResult>();
        foreach (var callers in options.Callers)
        {
            results.Add(await ClosedLoopRunner.MeasureQuietlyAsync(path, callers, EchoCalls(grains, callers), cpu, options, progress, "calls"));
        }

        return results;
    }

    /// <summary>Caller c calls keys c, c+N, c+2N, … so no two callers ever queue on one activation.</summary>
    private static Func<int, Func<Task>> EchoCalls(IEchoGrain[] grains, int callers) => caller =>
    {
        var index = caller % grains.Length;
        return () =>
        {
            var grain = grains[index];
            index = (index + callers) % grains.Length;
            return grain.Echo(index);
        };
    };

    /// <summary>Calls every grain once, a batch at a time, so no measured call pays for an activation.</summary>
    private static async Task ActivateAsync(IEchoGrain[] grains)
    {
        foreach (var batch in grains.Chunk(64))
        {
            await Task.WhenAll(batch.Select(grain => grain.Echo(0)));
        }
    }
}
