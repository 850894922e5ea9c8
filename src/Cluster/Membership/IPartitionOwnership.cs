namespace Odock.Cluster.Membership;

/// <summary>Which partitions this silo may serve right now, and under which lease epoch.</summary>
internal interface IPartitionOwnership
{
    int PartitionCount { get; }

    /// <summary>True when the partition is owned, not being handed off, and its lease is within the self-fencing deadline.</summary>
    bool TryGetServingEpoch(int partition, out long epoch);
}
