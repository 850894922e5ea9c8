namespace Odock.Cluster.Membership;

/// <summary>
/// Cluster mode: the partitions this silo holds leases on, as an immutable snapshot the lease loop replaces, plus the
/// self-fencing deadline on the monotonic clock. Readers on the call path never lock.
/// </summary>
internal sealed class LeasedOwnership : IPartitionOwnership
{
    private readonly TimeProvider _time;
    private OwnedPartitions _owned;
    private long _servingUntil;

    public LeasedOwnership(ClusterOptions options, TimeProvider time)
    {
        _time = time;
        PartitionCount = options.PartitionCount;
        _owned = OwnedPartitions.None(options.PartitionCount);
    }

    public int PartitionCount { get; }

    public OwnedPartitions Owned
    {
        get => Volatile.Read(ref _owned);
        set => Volatile.Write(ref _owned, value);
    }

    /// <summary>The monotonic time before which the last successful renewal lets this silo serve.</summary>
    public bool IsWithinFence => _time.GetTimestamp() < Interlocked.Read(ref _servingUntil);

    /// <summary>Partitions this silo serves right now (owned, not draining, within its fence).</summary>
    public int ServingCount => IsWithinFence ? Owned.Partitions.Count(p => !Owned.Draining[p]) : 0;

    public void ServeUntil(long timestamp) => Interlocked.Exchange(ref _servingUntil, timestamp);

    public bool TryGetServingEpoch(int partition, out long epoch)
    {
        var owned = Owned;
        epoch = owned.Epochs[partition];
        return epoch >= 0 && !owned.Draining[partition] && IsWithinFence;
    }
}
