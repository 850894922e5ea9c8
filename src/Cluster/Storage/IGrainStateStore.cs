using Odock.Cluster.Identity;

namespace Odock.Cluster.Storage;

/// <summary>
/// Durable grain state with two guards on every write: the ETag (no lost update) and the lease epoch (no write from a
/// silo that no longer owns the partition). A refused write returns null/false; it never half-applies.
/// </summary>
internal interface IGrainStateStore
{
    Task<StoredState?> ReadAsync(GrainId id, CancellationToken cancellationToken);

    /// <summary>Writes when the stored ETag still equals <paramref name="etag"/> (null: nothing stored) and the epoch still owns the partition; returns the new ETag, or null when refused.</summary>
    Task<string?> WriteAsync(GrainId id, int partition, long epoch, string? etag, string data, CancellationToken cancellationToken);

    /// <summary>Deletes under the same guards; false when refused.</summary>
    Task<bool> ClearAsync(GrainId id, int partition, long epoch, string? etag, CancellationToken cancellationToken);
}
