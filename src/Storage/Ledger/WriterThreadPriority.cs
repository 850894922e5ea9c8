using System.Runtime.InteropServices;

namespace Odock.Storage.Ledger;

/// <summary>
/// How the ledger writer's thread is scheduled on Linux, where it often shares a core with the gateway.
/// <para>
/// The thread always runs five nice steps below the process. While the writer keeps up, it also runs under
/// <c>SCHED_IDLE</c>, so it only gets CPU time that no request wants. At nice +5 alone the scheduler lets a running
/// batch finish its slice first (1–2 ms), and on a loaded core those waits were the gateway's p99 (docs/BENCHMARKS.md,
/// "Seventh round"). Idle priority does not make a waking request take the core at once either (a running
/// idle-priority thread kept it until the next tick on the kernel measured), so while idle the writer also yields the
/// core after every row it inserts into SQLite (docs/BENCHMARKS.md, "Twelfth round").
/// </para>
/// <para>
/// An idle-priority thread can starve when the core is saturated, so the writer steps back up to nice +5 when it finds
/// <see cref="StepUpDepth"/> records waiting. At nice +5 it gets about a quarter of a contended core, more than ingest
/// needs. It returns to idle once it has caught up (at most an eighth of that waiting).
/// </para>
/// <para>
/// Leaving <c>SCHED_IDLE</c> needs <c>CAP_SYS_NICE</c> or a large enough <c>RLIMIT_NICE</c>. Without either, a thread
/// could go idle but never come back, so the writer checks this on a throwaway thread first and otherwise stays at
/// nice +5. Elsewhere than Linux, or when a call fails, nothing changes.
/// </para>
/// </summary>
internal sealed partial class WriterThreadPriority
{
    private const int PriorityProcess = 0;
    private const int Steps = 5;
    private const int SchedOther = 0;
    private const int SchedIdle = 5;

    private readonly bool _canIdle;
    private int _idle;

    private WriterThreadPriority(int stepUpDepth, bool canIdle)
    {
        StepUpDepth = Math.Max(1, stepUpDepth);
        CaughtUpDepth = StepUpDepth / 8;
        _canIdle = canIdle;
    }

    /// <summary>Records waiting at which an idle writer steps up to nice +5.</summary>
    public int StepUpDepth { get; }

    /// <summary>Records waiting at or below which a writer at nice +5 goes back to idle.</summary>
    public int CaughtUpDepth { get; }

    /// <summary>The thread runs under <c>SCHED_IDLE</c> now.</summary>
    public bool IsIdle => Volatile.Read(ref _idle) != 0;

    /// <summary>
    /// Lowers the calling thread (the writer's) five nice steps and, if it may come back, puts it under
    /// <c>SCHED_IDLE</c> (unless <paramref name="idle"/> is false).
    /// </summary>
    public static WriterThreadPriority TakeOver(int stepUpDepth, bool idle = true)
    {
        Lower();
        var priority = new WriterThreadPriority(stepUpDepth, idle && CanReturnFromIdle());
        priority.Observe(0);
        return priority;
    }

    /// <summary>The writer found <paramref name="waiting"/> records queued: idle while it keeps up, nice +5 when behind.</summary>
    public void Observe(int waiting)
    {
        if (!_canIdle)
        {
            return;
        }

        if (IsIdle && waiting >= StepUpDepth && SetPolicy(SchedOther))
        {
            Volatile.Write(ref _idle, 0);
        }
        else if (!IsIdle && waiting <= CaughtUpDepth && SetPolicy(SchedIdle))
        {
            Volatile.Write(ref _idle, 1);
        }
    }

    /// <summary>Sets the calling thread's nice value five steps above its own (capped at 19), on Linux.</summary>
    public static void Lower()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            // With PRIO_PROCESS and a thread id, Linux reads and sets that one thread's nice value.
            var thread = GetThreadId();
            _ = SetPriority(PriorityProcess, thread, Math.Min(19, GetPriority(PriorityProcess, thread) + Steps));
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
        }
    }

    /// <summary>
    /// Whether a thread lowered like the writer may leave <c>SCHED_IDLE</c> again: tried on a throwaway thread, since a
    /// thread that cannot would be stuck at idle priority.
    /// </summary>
    internal static bool CanReturnFromIdle()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        var can = false;
        var probe = new Thread(() =>
        {
            Lower();
            can = SetPolicy(SchedIdle) && SetPolicy(SchedOther);
        })
        {
            IsBackground = true,
            Name = "Odock ledger priority probe",
        };
        probe.Start();
        probe.Join();
        return can;
    }

    /// <summary>Sets the calling thread's policy (its nice value is kept); false if Linux refused.</summary>
    private static bool SetPolicy(int policy)
    {
        try
        {
            var parameters = new SchedParam();
            return SetScheduler(0, policy, ref parameters) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct SchedParam
    {
        public int Priority;
    }

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();

    [LibraryImport("libc", EntryPoint = "sched_setscheduler")]
    private static partial int SetScheduler(int pid, int policy, ref SchedParam parameters);
}
