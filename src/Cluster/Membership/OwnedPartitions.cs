namespace Odock.Cluster.Membership;

/// <summary>An immutable view of what this silo owns: the epoch per partition (−1 when not owned) and which are draining.</summary>
internal sealed class OwnedPartitions
{
    public OwnedPartitions(long[] epochs, bool[] draining)
    {
        Epochs = epochs;
        Draining = draining;
        Count = epochs.Count(e => e >= 0);
    }

    public long[] Epochs { get; }

    public bool[] Draining { get; }

    public int Count { get; }

    public static OwnedPartitions None(int partitionCount) => new(Enumerable.Repeat(-1L, partitionCount).ToArray(), new bool[partitionCount]);

    public bool Owns(int partition) => Epochs[partition] >= 0;

    public IEnumerable<int> Partitions => Enumerable.Range(0, Epochs.Length).Where(Owns);
}
