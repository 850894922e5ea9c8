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

    /// <param name="operation">What one measured operation is, singular: "call", "admission".</param>
    public static string Render(IEnumerable<LoadResult> results, string operation)
    {
        ArgumentNullException.ThrowIfNull(results);
        var table = new StringBuilder()
            .AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| path | callers | {operation}s | {operation}s/s | p50 µs | p90 µs | p99 µs | p99.9 µs | max µs | CPU % | other CPU % | CPU µs/{operation} | silo CPU µs/{operation} | alloc B/{operation} | gen0/gen2 GCs | errors |"))
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            table.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Path.ToString().ToLowerInvariant()} | {r.Callers} | {r.Latency.Count:N0} | {r.OperationsPerSecond:N0} | {r.Microseconds(50):N1} | {r.Microseconds(90):N1} | "
                + $"{r.Microseconds(99):N1} | {r.Microseconds(99.9):N1} | {r.MaxMicroseconds:N0} | {r.CpuPercent:N0} | {r.OtherProcessesCpuPercent:N0} | {r.CpuMicrosecondsPerOperation:N1} | {r.SiloCpuMicrosecondsPerOperation?.ToString("N1", CultureInfo.InvariantCulture) ?? ""} | "
                + $"{r.AllocatedBytesPerOperation:N0} | {r.Gen0Collections}/{r.Gen2Collections} | {r.Errors} |"));
        }

        return table.ToString();
    }
}
