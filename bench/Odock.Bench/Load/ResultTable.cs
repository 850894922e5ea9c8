using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace Odock.Bench.Load;

/// <summary>The harness's report as a Markdown table, ready to paste into docs/BENCHMARKS.md.</summary>
internal static class ResultTable
{
    public static string Environment() => string.Create(CultureInfo.InvariantCulture,
        $"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {System.Environment.ProcessorCount} logical cores, "
        + $"{(GCSettings.IsServerGC ? "server" : "workstation")} GC");

    public static string Render(IEnumerable<LoadResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = new StringBuilder()
            .AppendLine("| path | callers | calls | calls/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | CPU % | other CPU % | CPU µs/call | silo CPU µs/call | alloc B/call | gen0/gen2 GCs | errors |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Path.ToString().ToLowerInvariant()} | {r.Callers} | {r.Latency.Count:N0} | {r.CallsPerSecond:N0} | {r.Microseconds(50):N1} | {r.Microseconds(90):N1} | "
                + $"{r.Microseconds(99):N1} | {r.Microseconds(99.9):N1} | {r.MaxMicroseconds:N0} | {r.CpuPercent:N0} | {r.OtherProcessesCpuPercent:N0} | {r.CpuMicrosecondsPerCall:N1} | {r.SiloCpuMicrosecondsPerCall?.ToString("N1", CultureInfo.InvariantCulture) ?? ""} | "
                + $"{r.AllocatedBytesPerCall:N0} | {r.Gen0Collections}/{r.Gen2Collections} | {r.Errors} |"));
        }

        return table.ToString();
    }
}
