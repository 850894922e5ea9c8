using System.Diagnostics;
using Odock.Bench.Grains;
using Odock.Cluster;

namespace Odock.Bench.Load;

/// <summary>
/// Closed-loop load: N callers, each issuing its next call as soon as the previous one answered, for a fixed time.
/// Caller c uses keys c, c+N, c+2N, … so no two callers queue behind each other on one activation.
/// </summary>
internal static class ClosedLoopRunner
{
    public static async Task<LoadResult> RunAsync(CallPath path, IReadOnlyList<IEchoGrain> grains, int callers, TimeSpan duration, CpuMeter cpu)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(cpu);
        using var stop = new CancellationTokenSource();
        var cpuBefore = cpu.Total();
        var siloBefore = cpu.Silo?.Invoke();
        var machineBefore = MachineCpu.Busy();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: false);
        var gen0Before = GC.CollectionCount(0);
        var gen2Before = GC.CollectionCount(2);
        var started = Stopwatch.GetTimestamp();

        var running = Enumerable.Range(0, callers)
            .Select(caller => Task.Run(() => CallUntilStoppedAsync(grains, caller, callers, stop.Token)))
            .ToArray();
        await Task.Delay(duration);
        await stop.CancelAsync();
        var outcomes = await Task.WhenAll(running);

        var elapsed = Stopwatch.GetElapsedTime(started);
        var usedCpu = cpu.Total() - cpuBefore;
        var siloCpu = cpu.Silo?.Invoke() - siloBefore;
        var machineTime = MachineCpu.Busy() - machineBefore;
        var latency = new LatencyHistogram();
        foreach (var outcome in outcomes)
        {
            latency.Add(outcome.Latency);
        }

        return new LoadResult(
            path,
            callers,
            elapsed,
            latency,
            outcomes.Sum(o => o.Errors),
            outcomes.Select(o => o.FirstError).FirstOrDefault(e => e is not null),
            usedCpu,
            siloCpu,
            machineTime > usedCpu ? machineTime - usedCpu : TimeSpan.Zero,
            GC.GetTotalAllocatedBytes(precise: false) - allocatedBefore,
            GC.CollectionCount(0) - gen0Before,
            GC.CollectionCount(2) - gen2Before);
    }

    /// <summary>Calls every grain once, a batch at a time, so no measured call pays for an activation.</summary>
    public static async Task ActivateAsync(IReadOnlyList<IEchoGrain> grains)
    {
        ArgumentNullException.ThrowIfNull(grains);
        foreach (var batch in grains.Chunk(64))
        {
            await Task.WhenAll(batch.Select(grain => grain.Echo(0)));
        }
    }

    private static async Task<CallerOutcome> CallUntilStoppedAsync(IReadOnlyList<IEchoGrain> grains, int caller, int callers, CancellationToken stop)
    {
        var latency = new LatencyHistogram();
        long errors = 0;
        string? firstError = null;
        var index = caller % grains.Count;
        while (!stop.IsCancellationRequested)
        {
            var grain = grains[index];
            index = (index + callers) % grains.Count;
            var started = Stopwatch.GetTimestamp();
            var call = grain.Echo(index);
            var synchronous = call.IsCompleted;
            try
            {
                await call;
                latency.Record(Stopwatch.GetTimestamp() - started);
            }
            catch (Exception ex) when (ex is ClusterUnavailableException or GrainCallException)
            {
                errors++;
                firstError ??= $"{ex.GetType().Name}: {ex.Message}";
            }

            if (synchronous)
            {
                // An in-process call completes without yielding; let the other callers take their turn on the few
                // cores, as request handlers that also do I/O would, instead of one caller spinning alone.
                await Task.Yield();
            }
        }

        return new CallerOutcome(latency, errors, firstError);
    }

    private sealed record CallerOutcome(LatencyHistogram Latency, long Errors, string? FirstError);
}
