using System.Globalization;
using Odock.Storage.Ledger;

namespace Odock.Storage.Tests.Ledger;

public sealed class WriterThreadPriorityTests
{
    private const int SchedOther = 0;
    private const int SchedIdle = 5;

    [Fact]
    public void On_linux_the_writer_thread_runs_five_nice_steps_below_the_process_and_other_threads_keep_theirs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (before, after) = (-1, -1);
        OnThrowawayThread(() =>
        {
            before = ThisThread().Nice;
            WriterThreadPriority.Lower();
            after = ThisThread().Nice;
        });

        var process = ThisThread().Nice;
        Assert.Equal(process, before);
        Assert.Equal(Math.Min(19, process + 5), after);
        Assert.Equal(process, ThisThread().Nice);
    }

    [Fact]
    public void The_probe_says_a_thread_may_leave_idle_priority_exactly_when_linux_would_let_it()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // Leaving SCHED_IDLE needs CAP_SYS_NICE, or an RLIMIT_NICE that covers the thread's nice value (20 - nice).
        var nice = Math.Min(19, ThisThread().Nice + 5);
        var expected = HasSysNice() || NiceLimit() >= 20 - nice;

        Assert.Equal(expected, WriterThreadPriority.CanReturnFromIdle());
        Assert.Equal(SchedOther, ThisThread().Policy);
    }

    [Fact]
    public void The_writer_idles_while_it_keeps_up_steps_up_when_behind_and_idles_again_once_caught_up()
    {
        if (!OperatingSystem.IsLinux() || !WriterThreadPriority.CanReturnFromIdle())
        {
            // Without the right to come back, the next test covers what the writer does.
            Assert.False(OperatingSystem.IsLinux() && HasSysNice());
            return;
        }

        var seen = new List<(bool Idle, int Policy, int Nice)>();
        var process = ThisThread().Nice;
        OnThrowawayThread(() =>
        {
            var priority = WriterThreadPriority.TakeOver(stepUpDepth: 64);
            Note(priority);
            priority.Observe(63); // a little behind: stays idle
            Note(priority);
            priority.Observe(64); // a backlog: competes for the CPU again
            Note(priority);
            priority.Observe(9); // still catching up
            Note(priority);
            priority.Observe(8); // caught up (an eighth of the step-up depth)
            Note(priority);
        });

        var lowered = Math.Min(19, process + 5);
        Assert.Equal(
            [(true, SchedIdle, lowered), (true, SchedIdle, lowered), (false, SchedOther, lowered), (false, SchedOther, lowered), (true, SchedIdle, lowered)],
            seen);
        Assert.Equal(SchedOther, ThisThread().Policy);

        void Note(WriterThreadPriority priority)
        {
            var now = ThisThread();
            seen.Add((priority.IsIdle, now.Policy, now.Nice));
        }
    }

    [Fact]
    public void With_idle_priority_switched_off_the_writer_stays_at_five_nice_steps_down_whatever_its_backlog()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var seen = new List<(bool Idle, int Policy, int Nice)>();
        var process = ThisThread().Nice;
        OnThrowawayThread(() =>
        {
            var priority = WriterThreadPriority.TakeOver(stepUpDepth: 64, idle: false);
            foreach (var waiting in new[] { 0, 100, 0 })
            {
                priority.Observe(waiting);
                var now = ThisThread();
                seen.Add((priority.IsIdle, now.Policy, now.Nice));
            }
        });

        var lowered = Math.Min(19, process + 5);
        Assert.Equal([(false, SchedOther, lowered), (false, SchedOther, lowered), (false, SchedOther, lowered)], seen);
    }

    private static void OnThrowawayThread(Action work)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                work();
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The throwaway thread failed.", failure);
        }
    }

    /// <summary>Fields 19 (nice) and 41 (policy) of /proc/thread-self/stat, counted after the parenthesised command name (which may hold spaces).</summary>
    private static (int Nice, int Policy) ThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[16], CultureInfo.InvariantCulture), int.Parse(fields[38], CultureInfo.InvariantCulture));
    }

    /// <summary>CAP_SYS_NICE (bit 23) in the effective capabilities of /proc/self/status.</summary>
    private static bool HasSysNice()
    {
        var line = File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return (ulong.Parse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) & (1UL << 23)) != 0;
    }

    /// <summary>The soft "Max nice priority" of /proc/self/limits (RLIMIT_NICE).</summary>
    private static int NiceLimit()
    {
        var line = File.ReadLines("/proc/self/limits").Single(l => l.StartsWith("Max nice priority", StringComparison.Ordinal));
        var soft = line["Max nice priority".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
        return soft == "unlimited" ? int.MaxValue : int.Parse(soft, CultureInfo.InvariantCulture);
    }
}
