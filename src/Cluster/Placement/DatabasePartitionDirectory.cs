using Dapper;
using Odock.Storage.Connections;

namespace Odock.Cluster.Placement;

/// <summary>
/// Reads the lease table (unexpired leases joined to their silos' addresses) into an immutable snapshot that readers
/// use without locks. Refreshed every renewal interval by the background loop and on demand after a "not owner".
/// </summary>
internal sealed class DatabasePartitionDirectory : IPartitionDirectory
{
    private static readonly TimeSpan MinimumRefreshGap = TimeSpan.FromMilliseconds(50);

    private readonly IDbConnectionFactory _connections;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private PartitionOwner?[] _owners;
    private Task? _refreshing;
    private long _refreshedAt;

    public DatabasePartitionDirectory(IDbConnectionFactory connections, ClusterOptions options, TimeProvider time)
    {
        _connections = connections;
        _time = time;
        _owners = new PartitionOwner?[options.PartitionCount];
    }

    public bool TryGetOwner(int partition, out PartitionOwner owner)
    {
        var entry = Volatile.Read(ref _owners)[partition];
        owner = entry.GetValueOrDefault();
        return entry.HasValue;
    }

    public IReadOnlyList<PartitionOwner?> Snapshot => Volatile.Read(ref _owners);

    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_refreshing is { IsCompleted: false } running)
            {
                return running.WaitAsync(cancellationToken);
            }

            if (_refreshedAt != 0 && _time.GetElapsedTime(_refreshedAt) < MinimumRefreshGap)
            {
                return Task.CompletedTask;
            }

            _refreshing = LoadAsync();
            return _refreshing.WaitAsync(cancellationToken);
        }
    }

    private async Task LoadAsync()
    {
        await using var connection = await _connections.OpenAsync().ConfigureAwait(false);
        // Whole rows, read asynchronously (RowQueries): a gateway with one worker thread stalled on this query's
        // synchronous column reads through Dapper's QueryAsync.
        var rows = await connection.QueryRowsAsync<(int Partition, string Owner, string Address, long Epoch)>(new CommandDefinition(
            """
            SELECT p.partition, p.owner_silo, s.address, p.epoch
            FROM cluster_partitions p JOIN cluster_silos s ON s.silo_id = p.owner_silo
            WHERE p.expires_at > now() AND s.status <> 'dead'
            """)).ConfigureAwait(false);
        var owners = new PartitionOwner?[Volatile.Read(ref _owners).Length];
        foreach (var row in rows)
        {
            if (row.Partition < owners.Length)
            {
                owners[row.Partition] = new PartitionOwner(row.Owner, row.Address, row.Epoch);
            }
        }

        Volatile.Write(ref _owners, owners);
        _refreshedAt = _time.GetTimestamp();
    }
}
