using System.Runtime.InteropServices;

namespace Odock.Storage.Ledger;

/// <summary>
/// Lowers the calling thread's scheduling priority by five nice steps below its own on Linux, for the ledger writer:
/// when it shares a core with the gateway, a request that wakes up takes the core from a writer in the middle of a
/// batch instead of waiting for the batch's slice to end. Under full load the writer still gets about a quarter of a
/// contended core, more than ingest needs (docs/BENCHMARKS.md). Elsewhere, or when a call fails, nothing changes.
/// </summary>
internal static partial class WriterThreadPriority
{
    private const int PriorityProcess = 0;
    private const int Steps = 5;

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

    [LibraryImport("libc", EntryPoint = "setpriority")]
    private static partial int SetPriority(int which, int who, int priority);

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "gettid")]
    private static partial int GetThreadId();
}
