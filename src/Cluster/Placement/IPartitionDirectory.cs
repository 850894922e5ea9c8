namespace Odock.Cluster.Placement;

/// <summary>A caller's view of who serves each partition; it may be stale, which "not owner" answers correct.</summary>
internal interface IPartitionDirectory
{
    /// <summary>The serving silo's id and address per the last snapshot.</summary>
    bool TryGetOwner(int partition, out PartitionOwner owner);

    /// <summary>Reloads the snapshot; concurrent callers share one reload, and reloads closer together than a short floor are skipped.</summary>
    Task RefreshAsync(CancellationToken cancellationToken);
}
