using Odock.Storage.Ledger;

namespace Odock.Storage.Tests.Ledger;

public sealed class WriterThreadPriorityTests
{
    [Fact]
    public void On_linux_the_writer_thread_runs_five_nice_steps_below_the_process_and_other_threads_keep_theirs()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var (before, after) = (-1, -1);
        var writer = new Thread(() =>
        {
            before = NiceOfThisThread();
            WriterThreadPriority.Lower();
            after = NiceOfThisThread();
        });
        writer.Start();
        writer.Join();

        var process = NiceOfThisThread();
        Assert.Equal(process, before);
        Assert.Equal(Math.Min(19, process + 5), after);
        Assert.Equal(process, NiceOfThisThread());
    }

    /// <summary>Field 19 of /proc/thread-self/stat, counted after the parenthesised command name (which may hold spaces).</summary>
    private static int NiceOfThisThread()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[16], System.Globalization.CultureInfo.InvariantCulture);
    }
}
