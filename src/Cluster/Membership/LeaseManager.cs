using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Cluster.Activation;
using Odock.Cluster.Hosting;
using Odock.Cluster.Placement;
using Odock.Storage.Connections;

namespace Odock.Cluster.Membership;

/// <summary>
/// Keeps this silo's membership and partition leases (CLUSTER-PROTOCOL.md). Every renewal interval: heartbeat, renew
/// held leases, read membership, hand off partitions another live silo should own (drain, deactivate, release), and
/// claim the free ones this silo should own. Serving stops by itself at <c>t_s + L − δ</c> after the last successful
/// renewal started (t_s on the monotonic clock), so a silo cut off from the database never overlaps a new owner.
/// </summary>
internal sealed partial class LeaseManager : IHostedService, IAsyncDisposable
{
    private readonly IDbConnectionFactory _connections;
    private readonly SiloIdentity _silo;
    private readonly ClusterOptions _options;
    private readonly ActivationCatalog _catalog;
    private readonly DatabasePartitionDirectory _directory;
    private readonly ClusterEndpointBinding _binding;
    private readonly TimeProvider _time;
    private readonly ILogger<LeaseManager> _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _step = new(1, 1);
    private readonly LeasedOwnership _ownership;
    private Task? _loop;
    private volatile bool _paused;
    private volatile bool _crashed;

    public LeaseManager(
        IDbConnectionFactory connections,
        SiloIdentity silo,
        ClusterOptions options,
        LeasedOwnership ownership,
        ActivationCatalog catalog,
        DatabasePartitionDirectory directory,
        ClusterEndpointBinding binding,
        ClusterMetrics metrics,
        TimeProvider time,
        ILogger<LeaseManager> logger)
    {
        _connections = connections;
        _silo = silo;
        _options = options;
        _ownership = ownership;
        _catalog = catalog;
        _directory = directory;
        _binding = binding;
        _time = time;
        _logger = logger;
        metrics.ObservePartitions(() => ownership.ServingCount);
    }

    public int PartitionCount => _options.PartitionCount;

    public OwnedPartitions Owned
    {
        get => _ownership.Owned;
        private set => _ownership.Owned = value;
    }

    public int ServingCount => _ownership.ServingCount;

    public SiloIdentity Silo => _silo;

    private bool IsWithinFence => _ownership.IsWithinFence;

    public bool TryGetServingEpoch(int partition, out long epoch) => _ownership.TryGetServingEpoch(partition, out epoch);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using (var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false))
        {
            await LeaseTable.EnsurePartitionsAsync(connection, _options.PartitionCount, cancellationToken).ConfigureAwait(false);
        }

        _silo.Address = _options.AdvertisedAddress ?? _binding.Address
            ?? throw new InvalidOperationException($"{ClusterOptions.SectionName}:Listen: the cluster listener is not bound; start the web host before the silo.");
        await StepAsync(_stopping.Token).ConfigureAwait(false);
        _loop = Task.Run(() => RunAsync(_stopping.Token), CancellationToken.None);
    }

    /// <summary>Graceful leave: stop being a placement target, hand every partition off with its state written, release, go.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_crashed)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await _step.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var owned = Owned.Partitions.ToArray();
            Owned = new OwnedPartitions(Owned.Epochs, Enumerable.Repeat(true, PartitionCount).ToArray());
            await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
            await LeaseTable.MarkAsync(connection, _silo.Id, SiloStatus.Leaving, cancellationToken).ConfigureAwait(false);
            await _catalog.DeactivateAllAsync(DeactivationReason.Shutdown, cancellationToken).ConfigureAwait(false);
            await LeaseTable.ReleaseAsync(connection, _silo.Id, owned, cancellationToken).ConfigureAwait(false);
            await LeaseTable.MarkAsync(connection, _silo.Id, SiloStatus.Dead, cancellationToken).ConfigureAwait(false);
            Owned = OwnedPartitions.None(PartitionCount);
            LogLeft(_silo.Id, owned.Length);
        }
        finally
        {
            _step.Release();
        }
    }

    /// <summary>Test and chaos hook: stop heartbeats and renewals while still serving until the fence says stop.</summary>
    public void Pause() => _paused = true;

    public void Resume() => _paused = false;

    /// <summary>Test and chaos hook: stop everything at once as a crash would: no release, no deactivation, no writes.</summary>
    public void Crash()
    {
        _crashed = true;
        _stopping.Cancel();
        Owned = OwnedPartitions.None(PartitionCount);
        _catalog.AbandonAll();
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        _stopping.Dispose();
        _step.Dispose();
    }

    private async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.RenewInterval, _time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (_paused)
            {
                continue;
            }

            try
            {
                await StepAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (LeaseTable.IsTransient(ex) || ex is OperationCanceledException)
            {
                LogRenewFailed(_silo.Id, ex.Message);
            }

            await FenceIfExpiredAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One round of the protocol; see the class summary.</summary>
    private async Task StepAsync(CancellationToken stopping)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        timeout.CancelAfter(_options.LeaseLength - _options.SafetyMargin);
        var token = timeout.Token;
        await _step.WaitAsync(token).ConfigureAwait(false);
        try
        {
            var renewStarted = _time.GetTimestamp();
            await using var connection = await _connections.OpenAsync(token).ConfigureAwait(false);
            await LeaseTable.HeartbeatAsync(connection, _silo, SiloStatus.Active, _catalog.Count, token).ConfigureAwait(false);
            var renewed = await LeaseTable.RenewAsync(connection, _silo.Id, _options.LeaseLength, token).ConfigureAwait(false);
            _ownership.ServeUntil(renewStarted + ToTimestamp(_options.LeaseLength - _options.SafetyMargin));
            await DropLostAsync(renewed).ConfigureAwait(false);

            var members = await LeaseTable.ReadMembersAsync(connection, _options.SuspicionTimeout, token).ConfigureAwait(false);
            var live = members.Where(m => m.Alive && m.Status == SiloStatus.Active).Select(m => m.SiloId).ToArray();
            var desired = RendezvousPlacement.DesiredOwners(PartitionCount, live);
            await HandOffAsync(connection, desired, token).ConfigureAwait(false);

            var wanted = Enumerable.Range(0, PartitionCount).Where(p => desired[p] == _silo.Id && !Owned.Owns(p)).ToArray();
            var claimed = await LeaseTable.ClaimAsync(connection, _silo.Id, wanted, _options.LeaseLength, token).ConfigureAwait(false);
            if (claimed.Count > 0)
            {
                var epochs = (long[])Owned.Epochs.Clone();
                foreach (var (partition, epoch) in claimed)
                {
                    epochs[partition] = epoch;
                }

                Owned = new OwnedPartitions(epochs, (bool[])Owned.Draining.Clone());
                LogClaimed(_silo.Id, claimed.Count, Owned.Count);
            }

            // Sweep activations created in a partition that was being given up at the same moment.
            var current = Owned;
            await _catalog.DeactivatePartitionsAsync(p => !current.Owns(p), DeactivationReason.LeaseLost, CancellationToken.None).ConfigureAwait(false);
            await _directory.RefreshAsync(token).ConfigureAwait(false);
        }
        finally
        {
            _step.Release();
        }
    }

    /// <summary>Partitions missing from the renewal were taken over (this silo was paused or cut off): stop serving them now.</summary>
    private async Task DropLostAsync(Dictionary<int, long> renewed)
    {
        var owned = Owned;
        var lost = owned.Partitions.Where(p => !renewed.TryGetValue(p, out var epoch) || epoch != owned.Epochs[p]).ToHashSet();
        if (lost.Count == 0)
        {
            return;
        }

        var epochs = (long[])owned.Epochs.Clone();
        var draining = (bool[])owned.Draining.Clone();
        foreach (var partition in lost)
        {
            epochs[partition] = -1;
            draining[partition] = false;
        }

        Owned = new OwnedPartitions(epochs, draining);
        LogLost(_silo.Id, lost.Count);
        await _catalog.DeactivatePartitionsAsync(lost.Contains, DeactivationReason.LeaseLost, CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Graceful handoff of the partitions another live silo should own: drain, deactivate (state may be written), release.</summary>
    private async Task HandOffAsync(System.Data.Common.DbConnection connection, string?[] desired, CancellationToken token)
    {
        var owned = Owned;
        var leaving = owned.Partitions.Where(p => desired[p] is { } owner && owner != _silo.Id).ToArray();
        if (leaving.Length == 0)
        {
            return;
        }

        var draining = (bool[])owned.Draining.Clone();
        foreach (var partition in leaving)
        {
            draining[partition] = true;
        }

        Owned = new OwnedPartitions(owned.Epochs, draining);
        var set = leaving.ToHashSet();
        await _catalog.DeactivatePartitionsAsync(set.Contains, DeactivationReason.Handoff, token).ConfigureAwait(false);
        await LeaseTable.ReleaseAsync(connection, _silo.Id, leaving, token).ConfigureAwait(false);

        var epochs = (long[])Owned.Epochs.Clone();
        var stillDraining = (bool[])Owned.Draining.Clone();
        foreach (var partition in leaving)
        {
            epochs[partition] = -1;
            stillDraining[partition] = false;
        }

        Owned = new OwnedPartitions(epochs, stillDraining);
        LogHandedOff(_silo.Id, leaving.Length);
    }

    private async Task FenceIfExpiredAsync()
    {
        if (IsWithinFence || Owned.Count == 0)
        {
            return;
        }

        var lost = Owned.Partitions.ToHashSet();
        Owned = OwnedPartitions.None(PartitionCount);
        LogFenced(_silo.Id, lost.Count);
        await _catalog.DeactivatePartitionsAsync(lost.Contains, DeactivationReason.LeaseLost, CancellationToken.None).ConfigureAwait(false);
    }

    private long ToTimestamp(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} claimed {Claimed} partition(s); it now owns {Owned}")]
    private partial void LogClaimed(string silo, int claimed, int owned);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} handed off {Count} partition(s) to their desired owners")]
    private partial void LogHandedOff(string silo, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} lost {Count} partition lease(s) to newer owners")]
    private partial void LogLost(string silo, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} could not renew its leases: {Reason}")]
    private partial void LogRenewFailed(string silo, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Silo {Silo} stopped serving {Count} partition(s): its leases could not be renewed before the fencing deadline")]
    private partial void LogFenced(string silo, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Silo {Silo} left the cluster gracefully, releasing {Count} partition(s)")]
    private partial void LogLeft(string silo, int count);
}
