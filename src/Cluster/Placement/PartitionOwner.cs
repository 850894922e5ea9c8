namespace Odock.Cluster.Placement;

/// <summary>Who serves a partition: the silo's id, its cluster address and the lease epoch.</summary>
public readonly record struct PartitionOwner(string SiloId, string Address, long Epoch);
