using Dapper;
using Odock.Cluster.Identity;
using Odock.Storage.Connections;

namespace Odock.Cluster.Storage;

/// <summary>Local mode: one process owns every partition, so the ETag is the only guard a write needs.</summary>
internal sealed class SqliteGrainStateStore(IDbConnectionFactory connections) : IGrainStateStore
{
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
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var sql = etag is null
            ? "INSERT INTO grain_state (grain_type, grain_key, partition, etag, data) VALUES (@Type, @Key, @Partition, @Next, @Data) ON CONFLICT DO NOTHING"
            : "UPDATE grain_state SET etag = @Next, data = @Data, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE grain_type = @Type AND grain_key = @Key AND etag = @ETag";
        var rows = await connection.ExecuteAsync(new CommandDefinition(
            sql,
            new { id.Type, id.Key, Partition = partition, Next = next, Data = data, ETag = etag },
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
            "DELETE FROM grain_state WHERE grain_type = @Type AND grain_key = @Key AND etag = @ETag",
            new { id.Type, id.Key, ETag = etag },
            cancellationToken: cancellationToken)).ConfigureAwait(false) == 1;
    }
}
