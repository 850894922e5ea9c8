using System.Diagnostics;

namespace Odock.Bench.Load;

/// <summary>One closed-loop run: what completed, how fast, and what it cost the whole process.</summary>
internal sealed record LoadResult(
    CallPath Path,
    int Callers,
    TimeSpan Elapsed,
    LatencyHistogram Latency,
    long Errors,
    string? FirstError,
    TimeSpan CpuTime,
    TimeSpan? SiloCpuTime,
    TimeSpan OtherProcessesCpuTime,
    long AllocatedBytes,
    int Gen0Collections,
    int Gen2Collections)
{
    public double OperationsPerSecond => Latency.Count / Elapsed.TotalSeconds;

    /// <summary>Process CPU time over wall time of every core: 100 % means all cores were busy.</summary>
    public double CpuPercent => 100 * CpuTime.TotalSeconds / (Elapsed.TotalSeconds * Environment.ProcessorCount);

    /// <summary>What the rest of the machine used meanwhile, on the same scale; more than a few percent spoils the run.</summary>
    public double OtherProcessesCpuPercent => 100 * OtherProcessesCpuTime.TotalSeconds / (Elapsed.TotalSeconds * Environment.ProcessorCount);

    /// <summary>CPU time per completed operation of every process taking part: load generator, client and silo together.</summary>
    public double CpuMicrosecondsPerOperation => Latency.Count == 0 ? 0 : CpuTime.TotalMicroseconds / Latency.Count;

    /// <summary>The silo process's share of <see cref="CpuMicrosecondsPerOperation"/>, when the silo runs in its own process.</summary>
    public double? SiloCpuMicrosecondsPerOperation => SiloCpuTime is { } silo && Latency.Count > 0 ? silo.TotalMicroseconds / Latency.Count : null;

    public double AllocatedBytesPerOperation => Latency.Count == 0 ? 0 : (double)AllocatedBytes / Latency.Count;

    public double Microseconds(double percentile) => ToMicroseconds(Latency.ValueAtPercentile(percentile));

    public double MaxMicroseconds => ToMicroseconds(Latency.Max);

    private static double ToMicroseconds(long ticks) => ticks * 1_000_000.0 / Stopwatch.Frequency;
}
