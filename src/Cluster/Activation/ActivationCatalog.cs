using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Odock.Cluster.Hosting;
using Odock.Cluster.Identity;
using Odock.Cluster.Membership;
using Odock.Cluster.Registry;
using Odock.Cluster.Storage;

namespace Odock.Cluster.Activation;

/// <summary>
/// The activations this silo holds: at most one per grain identity, created on first call for a partition the silo
/// serves, removed on idle collection, capacity shedding, handoff, lease loss or shutdown.
/// </summary>
internal sealed partial class ActivationCatalog
{
    private readonly ConcurrentDictionary<GrainId, GrainActivation> _activations = new();
    private readonly IPartitionOwnership _ownership;
    private readonly ClusterOptions _options;
    private readonly ILogger<ActivationCatalog> _logger;
    private IGrainFactory? _grainFactory;

    public ActivationCatalog(
        IServiceProvider services,
        GrainRegistry registry,
        ClusterSerializer serializer,
        IGrainStateStore stateStore,
        IPartitionOwnership ownership,
        ClusterOptions options,
        ClusterMetrics metrics,
        TimeProvider time,
        ILogger<ActivationCatalog> logger)
    {
        Services = services;
        Registry = registry;
        Serializer = serializer;
        StateStore = stateStore;
        _ownership = ownership;
        _options = options;
        Metrics = metrics;
        Time = time;
        _logger = logger;
        metrics.ObserveActivations(() => _activations.Count);
    }

    public IServiceProvider Services { get; }

    public GrainRegistry Registry { get; }

    public ClusterSerializer Serializer { get; }

    public IGrainStateStore StateStore { get; }

    public ClusterMetrics Metrics { get; }

    public TimeProvider Time { get; }

    public IGrainFactory GrainFactory => _grainFactory ??= Services.GetRequiredService<IGrainFactory>();

    public int Count => _activations.Count;

    public IEnumerable<GrainActivation> Activations => _activations.Values;

    /// <summary>
    /// Runs a call on the grain's activation here, creating it if needed; <see cref="NotOwnerException"/> when this silo
    /// does not serve the partition, <see cref="CallDeadlineExceededException"/> when the deadline passes while it waits.
    /// </summary>
    public ValueTask<object?> InvokeAsync(GrainId id, GrainTypeInfo type, GrainMethod method, object?[] arguments, CallDeadline deadline) =>
        InvokeAsync(id, StableHash.PartitionOf(id, _ownership.PartitionCount), type, method, arguments, deadline);

    /// <summary>As <see cref="InvokeAsync(GrainId, GrainTypeInfo, GrainMethod, object?[], CallDeadline)"/>, with no deadline but the caller's cancellation.</summary>
    public ValueTask<object?> InvokeAsync(GrainId id, GrainTypeInfo type, GrainMethod method, object?[] arguments, CancellationToken cancellationToken) =>
        InvokeAsync(id, type, method, arguments, new CallDeadline(Time, Timeout.InfiniteTimeSpan, cancellationToken));

    /// <inheritdoc cref="InvokeAsync(GrainId, GrainTypeInfo, GrainMethod, object?[], CallDeadline)"/>
    /// <param name="partition">The grain's partition, when the caller has already computed it.</param>
    public async ValueTask<object?> InvokeAsync(GrainId id, int partition, GrainTypeInfo type, GrainMethod method, object?[] arguments, CallDeadline deadline)
    {
        while (true)
        {
            if (!_ownership.TryGetServingEpoch(partition, out var epoch))
            {
                throw new NotOwnerException(partition);
            }

            var activation = await GetOrCreateAsync(id, type, partition, epoch, deadline).ConfigureAwait(false);
            if (activation.Epoch != epoch)
            {
                // Created under an earlier lease of this partition (lost and regained): its memory may be stale.
                BeginDeactivation(activation, DeactivationReason.LeaseLost);
                continue;
            }

            try
            {
                Metrics.Calls.Add(1);
                return await activation.InvokeAsync(method, arguments, deadline).ConfigureAwait(false);
            }
            catch (ActivationGoneException)
            {
                Remove(activation);
            }
        }
    }

    /// <summary>Removes the activation from the catalog now and ends it in the background.</summary>
    public void BeginDeactivation(GrainActivation activation, DeactivationReason reason)
    {
        Remove(activation);
        _ = activation.DeactivateAsync(reason, CancellationToken.None);
    }

    public void Remove(GrainActivation activation) => _activations.TryRemove(new KeyValuePair<GrainId, GrainActivation>(activation.Id, activation));

    /// <summary>Ends every activation of the partitions for which <paramref name="selector"/> is true and waits for them.</summary>
    public async Task DeactivatePartitionsAsync(Func<int, bool> selector, DeactivationReason reason, CancellationToken cancellationToken)
    {
        var doomed = _activations.Values.Where(a => selector(a.Partition)).ToArray();
        foreach (var activation in doomed)
        {
            Remove(activation);
        }

        await Task.WhenAll(doomed.Select(a => a.DeactivateAsync(reason, cancellationToken))).ConfigureAwait(false);
    }

    public Task DeactivateAllAsync(DeactivationReason reason, CancellationToken cancellationToken) =>
        DeactivatePartitionsAsync(_ => true, reason, cancellationToken);

    /// <summary>Drops every activation without running any grain code: what a crash does.</summary>
    public void AbandonAll() => _activations.Clear();

    /// <summary>Deactivates activations idle for longer than the idle collection age; returns how many.</summary>
    public async Task<int> CollectIdleAsync(CancellationToken cancellationToken)
    {
        var idle = _activations.Values.Where(a => !a.IsBusy && Time.GetElapsedTime(a.LastUsedTimestamp) >= _options.IdleCollectionAge).ToArray();
        foreach (var activation in idle)
        {
            Remove(activation);
        }

        await Task.WhenAll(idle.Select(a => a.DeactivateAsync(DeactivationReason.Idle, cancellationToken))).ConfigureAwait(false);
        return idle.Length;
    }

    public void LogDeactivationFailure(GrainActivation activation, Exception exception) => LogDeactivateFailed(activation.Id.ToString(), exception);

    public void LogTimerFailure(GrainActivation activation, Exception exception) => LogTimerFailed(activation.Id.ToString(), exception);

    private ValueTask<GrainActivation> GetOrCreateAsync(GrainId id, GrainTypeInfo type, int partition, long epoch, CallDeadline deadline) =>
        _activations.TryGetValue(id, out var existing) ? new(existing) : CreateAsync(id, type, partition, epoch, deadline);

    private async ValueTask<GrainActivation> CreateAsync(GrainId id, GrainTypeInfo type, int partition, long epoch, CallDeadline deadline)
    {
        if (_activations.Count >= _options.MaxActivations)
        {
            using var waiting = deadline.StartWaiting();
            try
            {
                await ShedLeastRecentlyUsedAsync(waiting.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (waiting.IsCancellationRequested)
            {
                throw new CallDeadlineExceededException(waiting.Token);
            }
        }

        var created = new GrainActivation(id, type, partition, epoch, this);
        var activation = _activations.GetOrAdd(id, created);
        if (ReferenceEquals(activation, created))
        {
            Metrics.Activations.Add(1);
        }

        return activation;
    }

    /// <summary>Makes room under the hard cap by ending the least recently used idle activations (a tenth of the cap at most).</summary>
    private async Task ShedLeastRecentlyUsedAsync(CancellationToken cancellationToken)
    {
        var excess = _activations.Count - _options.MaxActivations + 1;
        var batch = Math.Max(excess, Math.Max(1, _options.MaxActivations / 10));
        var victims = _activations.Values.Where(a => !a.IsBusy).OrderBy(a => a.LastUsedTimestamp).Take(batch).ToArray();
        if (victims.Length < excess)
        {
            throw new ClusterUnavailableException($"This silo holds its maximum of {_options.MaxActivations} activations and all are busy.");
        }

        foreach (var victim in victims)
        {
            Remove(victim);
        }

        await Task.WhenAll(victims.Select(v => v.DeactivateAsync(DeactivationReason.CapacityExceeded, cancellationToken))).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deactivating grain {Grain} failed")]
    private partial void LogDeactivateFailed(string grain, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A timer of grain {Grain} failed")]
    private partial void LogTimerFailed(string grain, Exception exception);
}
