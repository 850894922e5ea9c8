using Odock.Cluster.Identity;
using Odock.Cluster.Registry;

namespace Odock.Cluster.Activation;

/// <summary>
/// One live grain: its instance, its turn lock (calls run one at a time), its timers and its lease epoch.
/// Created by the <see cref="ActivationCatalog"/>; ends through <see cref="DeactivateAsync"/> exactly once.
/// </summary>
// The turn semaphore never allocates a wait handle (only WaitAsync is used), so it holds nothing to dispose.
#pragma warning disable CA1001
internal sealed class GrainActivation
#pragma warning restore CA1001
{
    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly TaskCompletionSource _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<GrainTimer> _timers = [];
    private int _started;
    private int _doomed;
    private int _deactivationStarted;
    private int _running;
    private long _lastUsed;

    public GrainActivation(GrainId id, GrainTypeInfo type, int partition, long epoch, ActivationCatalog host)
    {
        Id = id;
        Type = type;
        Partition = partition;
        Epoch = epoch;
        Host = host;
        _lastUsed = host.Time.GetTimestamp();
    }

    public GrainId Id { get; }

    public GrainTypeInfo Type { get; }

    public int Partition { get; }

    /// <summary>The lease epoch under which this activation was created; every state write carries it.</summary>
    public long Epoch { get; }

    public ActivationCatalog Host { get; }

    public Grain? Instance { get; private set; }

    /// <summary>No further call may run on this activation (it is deactivating, or its state was fenced).</summary>
    public bool IsEnding => Volatile.Read(ref _doomed) != 0;

    public bool IsBusy => Volatile.Read(ref _running) > 0 || _turn.CurrentCount == 0;

    public long LastUsedTimestamp => Interlocked.Read(ref _lastUsed);

    public bool DeactivationRequested { get; private set; }

    /// <summary>Creates the instance, reads its state and runs OnActivateAsync, once; callers await it before their turn.</summary>
    public Task EnsureActivatedAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _ = ActivateAsync(cancellationToken);
        }

        return _activated.Task;
    }

    public async ValueTask<object?> InvokeAsync(GrainMethod method, object?[] arguments, CallDeadline deadline)
    {
        var exclusive = !method.AlwaysInterleave;
        if (!CanStartNow(exclusive, deadline))
        {
            await WaitToStartAsync(exclusive, deadline).ConfigureAwait(false);
        }

        Interlocked.Increment(ref _running);
        try
        {
            if (IsEnding)
            {
                throw new ActivationGoneException();
            }

            return await method.Invoke(Instance!, arguments).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Exchange(ref _lastUsed, Host.Time.GetTimestamp());
            if (exclusive)
            {
                _turn.Release();
            }

            if (DeactivationRequested)
            {
                Host.BeginDeactivation(this, DeactivationReason.Requested);
            }
        }
    }

    /// <summary>Runs a timer tick as a turn; skipped when the activation is ending.</summary>
    public async Task RunTurnAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsEnding)
            {
                await work(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    public IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new GrainTimer(this, callback, dueTime, period);
        lock (_timers)
        {
            _timers.Add(timer);
        }

        timer.Start();
        return timer;
    }

    public void RequestDeactivation() => DeactivationRequested = true;

    /// <summary>
    /// Ends the activation: waits for the running call (unless the lease is already lost), stops timers, runs
    /// OnDeactivateAsync. Returns false if another deactivation got there first.
    /// </summary>
    public async Task<bool> DeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _deactivationStarted, 1) != 0)
        {
            return false;
        }

        Interlocked.Exchange(ref _doomed, 1);
        var holdsTurn = false;
        try
        {
            await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
            holdsTurn = true;
        }
        catch (OperationCanceledException)
        {
            // Deactivating without the turn: the running call will fail its next write (fenced) or finish on a doomed activation.
        }

        try
        {
            StopTimers();
            if (Instance is not null && _activated.Task.IsCompletedSuccessfully)
            {
                await Instance.OnDeactivateAsync(reason, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Host.LogDeactivationFailure(this, ex);
        }
        finally
        {
            if (holdsTurn)
            {
                _turn.Release();
            }
        }

        return true;
    }

    internal void Forget(GrainTimer timer)
    {
        lock (_timers)
        {
            _timers.Remove(timer);
        }
    }

    private async Task ActivateAsync(CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var instance = Type.Create(Host.Services);
            instance.ActivationContext = this;
            Instance = instance;
            await instance.LoadStateAsync(cancellationToken).ConfigureAwait(false);
            await instance.OnActivateAsync(cancellationToken).ConfigureAwait(false);
            _activated.TrySetResult();
        }
        catch (Exception ex)
        {
            Interlocked.Exchange(ref _doomed, 1);
            Interlocked.Exchange(ref _deactivationStarted, 1);
            _activated.TrySetException(ex);
            Host.Remove(this);
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>
    /// True when the call may run right away without waiting: the activation is ready and, for an exclusive call, the
    /// turn was free and is now held. Only a call that has to wait needs its deadline as a timer.
    /// </summary>
    private bool CanStartNow(bool exclusive, CallDeadline deadline) =>
        !deadline.IsAborted && _activated.Task.IsCompletedSuccessfully && (!exclusive || _turn.Wait(0));

    private async Task WaitToStartAsync(bool exclusive, CallDeadline deadline)
    {
        using var waiting = deadline.StartWaiting();
        try
        {
            await EnsureActivatedAsync(waiting.Token).WaitAsync(waiting.Token).ConfigureAwait(false);
            if (exclusive)
            {
                await _turn.WaitAsync(waiting.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (waiting.IsCancellationRequested)
        {
            throw new CallDeadlineExceededException(waiting.Token);
        }
    }

    private void StopTimers()
    {
        GrainTimer[] timers;
        lock (_timers)
        {
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (var timer in timers)
        {
            timer.Dispose();
        }
    }

    internal async Task<(string? ETag, TState? State)> ReadStateAsync<TState>(CancellationToken cancellationToken)
        where TState : class
    {
        var stored = await Host.StateStore.ReadAsync(Id, cancellationToken).ConfigureAwait(false);
        return stored is null ? (null, null) : (stored.ETag, Host.Serializer.ReadValue<TState?>(System.Text.Encoding.UTF8.GetBytes(stored.Data)));
    }

    internal async Task<string> WriteStateAsync<TState>(TState state, string? etag, CancellationToken cancellationToken)
        where TState : class
    {
        var data = Host.Serializer.WriteState(state, typeof(TState));
        var next = await Host.StateStore.WriteAsync(Id, Partition, Epoch, etag, data, cancellationToken).ConfigureAwait(false);
        return next ?? throw Fenced();
    }

    internal async Task ClearStateAsync(string? etag, CancellationToken cancellationToken)
    {
        if (!await Host.StateStore.ClearAsync(Id, Partition, Epoch, etag, cancellationToken).ConfigureAwait(false))
        {
            throw Fenced();
        }
    }

    private GrainFencedException Fenced()
    {
        // The state on disk belongs to someone else now: this activation's memory is stale and must go.
        Host.Metrics.FencedWrites.Add(1);
        Interlocked.Exchange(ref _doomed, 1);
        Host.BeginDeactivation(this, DeactivationReason.LeaseLost);
        return new GrainFencedException($"The state write of {Id} was refused: partition {Partition} epoch {Epoch} no longer owns it, or the state changed underneath.");
    }
}
