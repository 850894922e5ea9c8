namespace Odock.Cluster.Runtime;

/// <summary>
/// The remote calls an open <see cref="GrainCallBatch"/> has gathered on this thread. Closing the batch sends them:
/// those bound for the same silo in one request (<see cref="GrainCallInvoker.SendBatchAsync"/>), a lone call as usual.
/// One instance per thread is reused, so a batch that gathers nothing (every call in process) allocates nothing.
/// </summary>
internal sealed class PendingCalls
{
    [ThreadStatic]
    private static PendingCalls? t_open;

    [ThreadStatic]
    private static PendingCalls? t_spare;

    private readonly List<PendingCall> _calls = [];

    /// <summary>The batch open on this thread, if any.</summary>
    public static PendingCalls? Current => t_open;

    /// <summary>Opens a batch on this thread; null when one is open already (the caller joins it).</summary>
    public static PendingCalls? Open()
    {
        if (t_open is not null)
        {
            return null;
        }

        var calls = t_spare ?? new PendingCalls();
        t_spare = null;
        t_open = calls;
        return calls;
    }

    public void Add(PendingCall call) => _calls.Add(call);

    /// <summary>Closes the batch and sends what it gathered, grouped by invoker and silo.</summary>
    public void Close()
    {
        if (ReferenceEquals(t_open, this))
        {
            t_open = null;
        }

        if (_calls.Count == 0)
        {
            t_spare = this;
            return;
        }

        var calls = _calls.ToArray();
        _calls.Clear();
        t_spare = this;
        var sent = new bool[calls.Length];
        for (var i = 0; i < calls.Length; i++)
        {
            if (sent[i])
            {
                continue;
            }

            var group = new List<PendingCall>(calls.Length - i) { calls[i] };
            for (var j = i + 1; j < calls.Length && group.Count < Transport.ClusterProtocol.MaxBatchCalls; j++)
            {
                if (!sent[j] && ReferenceEquals(calls[j].Invoker, calls[i].Invoker) && string.Equals(calls[j].Address, calls[i].Address, StringComparison.Ordinal))
                {
                    group.Add(calls[j]);
                    sent[j] = true;
                }
            }

            if (group.Count == 1)
            {
                calls[i].SendAlone();
            }
            else
            {
                _ = calls[i].Invoker.SendBatchAsync(calls[i].Address, [.. group]);
            }
        }
    }
}
