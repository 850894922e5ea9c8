using System.Diagnostics;

namespace Odock.Bench.Load;

/// <summary>Reads the CPU time used so far by the processes a path runs in: all of them, and the silo's share when it has its own.</summary>
internal sealed record CpuMeter(Func<TimeSpan> Total, Func<TimeSpan>? Silo)
{
    /// <summary>For paths that run entirely in this process.</summary>
    public static CpuMeter ThisProcess { get; } = new(ThisProcessCpuTime, null);

    public static TimeSpan ThisProcessCpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
