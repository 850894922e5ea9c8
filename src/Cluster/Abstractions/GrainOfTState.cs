using Odock.Cluster.Activation;

namespace Odock.Cluster;

/// <summary>
/// A grain with persistent state. <see cref="State"/> is read before <see cref="Grain.OnActivateAsync"/>; writes carry
/// the partition's lease epoch and the state's ETag, so a write from a stale activation is refused
/// (<see cref="GrainFencedException"/>) and that activation deactivates itself.
/// </summary>
public abstract class Grain<TState> : Grain
    where TState : class, new()
{
    protected TState State { get; set; } = new();

    /// <summary>The version of the stored state this activation last read or wrote; null when nothing is stored.</summary>
    protected string? ETag { get; private set; }

    protected async Task ReadStateAsync(CancellationToken cancellationToken = default)
    {
        var (etag, state) = await Context.ReadStateAsync<TState>(cancellationToken).ConfigureAwait(false);
        ETag = etag;
        State = state ?? new TState();
    }

    protected async Task WriteStateAsync(CancellationToken cancellationToken = default) =>
        ETag = await Context.WriteStateAsync(State, ETag, cancellationToken).ConfigureAwait(false);

    protected async Task ClearStateAsync(CancellationToken cancellationToken = default)
    {
        await Context.ClearStateAsync(ETag, cancellationToken).ConfigureAwait(false);
        ETag = null;
        State = new TState();
    }

    internal override Task LoadStateAsync(CancellationToken cancellationToken) => ReadStateAsync(cancellationToken);

    private GrainActivation Context => ActivationContext ?? throw new InvalidOperationException("The grain is not activated by the runtime.");
}
