namespace Odock.Cluster.Membership;

/// <summary>Local mode: the only process owns every partition, for ever, at epoch 0.</summary>
internal sealed class LocalOwnership(int partitionCount) : IPartitionOwnership
{
    public int PartitionCount { get; } = partitionCount;

    public bool TryGetServingEpoch(int partition, out long epoch)
    {
        epoch = 0;
        return true;
    }
}
