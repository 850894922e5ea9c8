using Dapper;
using Odock.Cluster.Identity;
using Odock.Cluster.Membership;
using Odock.Storage.Connections;

namespace Odock.Cluster.Storage;

/// <summary>
/// Cluster mode: a write lands only if this silo still holds the partition's lease under the epoch the activation
/// was created with, and the lease has not expired by the database's clock (CLUSTER-PROTOCOL.md, "Writing state").
/// A paused silo that wakes up after its lease was taken over is refused here even before it notices.
/// </summary>
internal sealed class PostgresGrainStateStore(IDbConnectionFactory connections, SiloIdentity silo) : IGrainStateStore
{
    private const string LeaseHeld =
        "EXISTS (SELECT 1 FROM cluster_partitions WHERE partition = @Partition AND owner_silo = @Silo AND epoch = @Epoch AND expires_at > now())";

    public async Task<StoredState?> ReadAsync(GrainId id, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.QuerySingleRowOrDefaultAsync<StoredState>(new CommandDefinition(
            "SELECT etag AS ETag, data AS Data FROM grain_state WHERE grain_type = @Type AND grain_key = @Key",
            new { id.Type, id.Key },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
    }

    public async Task<string?> WriteAsync(GrainId id, int partition, long epoch, string? etag, string data, CancellationToken cancellationToken)
    {
        var next = Guid.NewGuid().ToString("N");
        var sql = etag is null
            ? $"INSERT INTO grain_state (grain_type, grain_key, partition, etag, data) SELECT @Type, @Key, @Partition, @Next, @Data WHERE {LeaseHeld} ON CONFLICT DO NOTHING"
            : $"UPDATE grain_state SET etag = @Next, data = @Data, updated_at = now() WHERE grain_type = @Type AND grain_key = @Key AND etag = @ETag AND {LeaseHeld}";
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id.Type, id.Key, Partition = partition, Epoch = epoch, Silo = silo.Id, Next = next, Data = data, ETag = etag },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows == 1 ? next : null;
    }

    public async Task<bool> ClearAsync(GrainId id, int partition, long epoch, string? etag, CancellationToken cancellationToken)
    {
        if (etag is null)
        {
            return true;
        }

        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM grain_state WHERE grain_type = @Type AND grain_key = @Key AND etag = @ETag AND {LeaseHeld}",
            new { id.Type, id.Key, Partition = partition, Epoch = epoch, Silo = silo.Id, ETag = etag },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }
}
