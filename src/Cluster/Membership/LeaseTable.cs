using System.Data.Common;
using Dapper;
using Npgsql;
using Odock.Storage.Connections;

namespace Odock.Cluster.Membership;

/// <summary>
/// The SQL of membership and leases (CLUSTER-PROTOCOL.md), one statement per step so that PostgreSQL load per silo
/// is constant: a heartbeat, a renewal, a membership read, and claims or releases only when ownership moves.
/// </summary>
internal static class LeaseTable
{
    public static async Task EnsurePartitionsAsync(DbConnection connection, int partitionCount, CancellationToken cancellationToken)
    {
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO cluster_partitions (partition) SELECT generate_series(0, @Last) ON CONFLICT DO NOTHING",
            new { Last = partitionCount - 1 },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        var existing = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT count(*) FROM cluster_partitions", cancellationToken: cancellationToken)).ConfigureAwait(false);
        if (existing != partitionCount)
        {
            throw new InvalidOperationException(
                $"{ClusterOptions.SectionName}:PartitionCount: this silo uses {partitionCount} partitions but the cluster's database has {existing}; every silo must use the same count.");
        }
    }

    public static Task HeartbeatAsync(DbConnection connection, SiloIdentity silo, string status, int activations, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO cluster_silos (silo_id, address, status, activation_count) VALUES (@Id, @Address, @Status, @Activations)
            ON CONFLICT (silo_id) DO UPDATE SET heartbeat_at = now(), address = excluded.address, status = excluded.status, activation_count = excluded.activation_count
            """,
            new { silo.Id, silo.Address, Status = status, Activations = activations },
            cancellationToken: cancellationToken));

    /// <summary>Extends every unexpired lease this silo holds; what comes back is what it still owns.</summary>
    public static async Task<Dictionary<int, long>> RenewAsync(DbConnection connection, string siloId, TimeSpan lease, CancellationToken cancellationToken)
    {
        var rows = await connection.QueryRowsAsync<(int Partition, long Epoch)>(new CommandDefinition(
            "UPDATE cluster_partitions SET expires_at = now() + @Lease WHERE owner_silo = @Silo AND expires_at > now() RETURNING partition, epoch",
            new { Silo = siloId, Lease = lease },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Partition, r => r.Epoch);
    }

    public static async Task<IReadOnlyList<MemberRow>> ReadMembersAsync(DbConnection connection, TimeSpan suspicion, CancellationToken cancellationToken) =>
        (await connection.QueryRowsAsync<MemberRow>(new CommandDefinition(
            """
            SELECT silo_id AS SiloId, address AS Address, status AS Status, heartbeat_at > now() - @Suspicion AS Alive,
                   CAST(EXTRACT(EPOCH FROM now() - heartbeat_at) * 1000 AS bigint) AS HeartbeatAgeMs, activation_count AS ActivationCount
            FROM cluster_silos WHERE status <> 'dead' OR heartbeat_at > now() - interval '1 hour'
            ORDER BY silo_id
            """,
            new { Suspicion = suspicion },
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToArray();

    /// <summary>Claims free or expired partitions with epoch + 1; an unexpired lease of another silo is never taken.</summary>
    public static async Task<Dictionary<int, long>> ClaimAsync(DbConnection connection, string siloId, int[] partitions, TimeSpan lease, CancellationToken cancellationToken)
    {
        if (partitions.Length == 0)
        {
            return [];
        }

        var rows = await connection.QueryRowsAsync<(int Partition, long Epoch)>(new CommandDefinition(
            """
            UPDATE cluster_partitions SET owner_silo = @Silo, epoch = epoch + 1, expires_at = now() + @Lease
            WHERE partition = ANY(@Partitions) AND expires_at <= now()
            RETURNING partition, epoch
            """,
            new { Silo = siloId, Lease = lease, Partitions = partitions },
            cancellationToken: cancellationToken)).ConfigureAwait(false);
        return rows.ToDictionary(r => r.Partition, r => r.Epoch);
    }

    /// <summary>Ends this silo's leases at once so the desired owner can claim without waiting for expiry.</summary>
    public static Task ReleaseAsync(DbConnection connection, string siloId, int[] partitions, CancellationToken cancellationToken) =>
        partitions.Length == 0
            ? Task.CompletedTask
            : connection.ExecuteAsync(new CommandDefinition(
                "UPDATE cluster_partitions SET expires_at = now() WHERE owner_silo = @Silo AND partition = ANY(@Partitions) AND expires_at > now()",
                new { Silo = siloId, Partitions = partitions },
                cancellationToken: cancellationToken));

    public static Task MarkAsync(DbConnection connection, string siloId, string status, CancellationToken cancellationToken) =>
        connection.ExecuteAsync(new CommandDefinition(
            "UPDATE cluster_silos SET status = @Status, heartbeat_at = now() WHERE silo_id = @Silo",
            new { Silo = siloId, Status = status },
            cancellationToken: cancellationToken));

    public static bool IsTransient(Exception exception) =>
        exception is DbException or TimeoutException or System.Net.Sockets.SocketException or IOException
        || (exception is NpgsqlException { IsTransient: true });
}
