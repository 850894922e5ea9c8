using Odock.Cluster.Runtime;

namespace Odock.Cluster;

/// <summary>
/// Sends together the grain calls that this thread starts while the batch is open: when it is disposed, the calls
/// bound for the same remote silo leave as one request, which the silo runs side by side and answers at once. Each call
/// still completes, fails and retries on its own, exactly as if it had gone alone; only the round trips are shared.
/// Calls to grains this process serves run in process at once, as always, and in local mode a batch does nothing.
/// <code>
/// ValueTask&lt;Reply&gt; a, b;
/// using (GrainCallBatch.Start())
/// {
///     a = budget.Reserve(id, amount);
///     b = quota.Reserve(id, units);
/// }
/// var (first, second) = (await a, await b);
/// </code>
/// A batch is a <see langword="ref"/> struct, so the compiler refuses one that stays open across an <see langword="await"/>:
/// nothing is sent before it is disposed, so a call awaited inside its block would never complete. Batches opened
/// inside an open batch join it.
/// </summary>
public ref struct GrainCallBatch
{
    private PendingCalls? _owned;

    /// <summary>Opens a batch on this thread, or joins the one already open.</summary>
    public static GrainCallBatch Start() => new() { _owned = PendingCalls.Open() };

    /// <summary>Sends the calls gathered since <see cref="Start"/>; a batch that joined another leaves that to the outer one.</summary>
    public void Dispose()
    {
        var owned = _owned;
        _owned = null;
        owned?.Close();
    }
}
