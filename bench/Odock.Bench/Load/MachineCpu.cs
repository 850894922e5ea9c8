using System.Globalization;

namespace Odock.Bench.Load;

/// <summary>
/// Busy time of the whole machine from <c>/proc/stat</c>, so a run can show how much CPU other processes took while it
/// was measuring (a build or a test run next to the bench makes its numbers meaningless). Zero where there is no /proc.
/// </summary>
internal static class MachineCpu
{
    private const string StatPath = "/proc/stat";

    /// <summary>All cores' non-idle time since boot.</summary>
    public static TimeSpan Busy()
    {
        if (!File.Exists(StatPath))
        {
            return TimeSpan.Zero;
        }

        // "cpu  user nice system idle iowait irq softirq steal ..." in clock ticks (USER_HZ, 100 on Linux).
        var fields = File.ReadLines(StatPath).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var busy = ticks.Sum() - ticks[3] - ticks[4];
        return TimeSpan.FromMilliseconds(busy * 10);
    }
}
