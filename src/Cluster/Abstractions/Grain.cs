using Odock.Cluster.Activation;

namespace Odock.Cluster;

/// <summary>
/// The base of every grain implementation. One activation exists per grain identity cluster-wide; its calls run one
/// at a time (unless marked <see cref="AlwaysInterleaveAttribute"/>), so grain code needs no locks.
/// </summary>
public abstract class Grain
{
    internal GrainActivation? ActivationContext { get; set; }

    /// <summary>This grain's key.</summary>
    protected string Key => Activation.Id.Key;

    /// <summary>For calling other grains from this one.</summary>
    protected IGrainFactory GrainFactory => Activation.Host.GrainFactory;

    private GrainActivation Activation => ActivationContext ?? throw new InvalidOperationException("The grain is not activated by the runtime.");

    /// <summary>Runs once before the first call, after persistent state has been read.</summary>
    public virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Runs once when the activation ends; write state here if the reason allows (not after <see cref="DeactivationReason.LeaseLost"/>).</summary>
    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Calls <paramref name="callback"/> after <paramref name="dueTime"/> and then every <paramref name="period"/>, as a turn
    /// of this activation (never concurrently with a call). Stops when disposed or when the activation ends.
    /// </summary>
    protected IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterTimer(callback, dueTime, period);

    /// <summary>Ends this activation once the current call completes.</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation();

    internal virtual Task LoadStateAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
