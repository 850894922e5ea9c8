using Dapper;
using Odock.Cluster.Activation;
using Odock.Cluster.Membership;
using Odock.Storage.Connections;

namespace Odock.Cluster.Hosting;

/// <summary>Builds <see cref="ClusterStatus"/>: from the database in cluster mode, from this process in local mode.</summary>
internal sealed class ClusterStatusReader(IServiceProvider services, ClusterOptions options)
{
    public async Task<ClusterStatus> ReadAsync(CancellationToken cancellationToken)
    {
        var catalog = (ActivationCatalog?)services.GetService(typeof(ActivationCatalog));
        if (services.GetService(typeof(LeaseManager)) is not LeaseManager leases)
        {
            if (services.GetService(typeof(IPartitionOwnership)) is LocalOwnership)
            {
                var everything = Enumerable.Range(0, options.PartitionCount).ToArray();
                return new ClusterStatus("local", "local", options.PartitionCount,
                    [new ClusterMemberStatus("local", "in-process", SiloStatus.Active, true, 0, catalog?.Count ?? 0, everything.Length, everything)]);
            }

            return await ReadDatabaseAsync("client", "client", cancellationToken).ConfigureAwait(false);
        }

        return await ReadDatabaseAsync("cluster", leases.Silo.Id, cancellationToken).ConfigureAwait(false);
    }

    private async Task<ClusterStatus> ReadDatabaseAsync(string mode, string self, CancellationToken cancellationToken)
    {
        var connections = (IDbConnectionFactory)services.GetService(typeof(IDbConnectionFactory))!;
        await using var connection = await connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var members = await LeaseTable.ReadMembersAsync(connection, options.SuspicionTimeout, cancellationToken).ConfigureAwait(false);
        var leases = (await connection.QueryRowsAsync<(int Partition, string Owner)>(new CommandDefinition(
            "SELECT partition, owner_silo FROM cluster_partitions WHERE expires_at > now() AND owner_silo IS NOT NULL ORDER BY partition",
            cancellationToken: cancellationToken)).ConfigureAwait(false)).ToLookup(l => l.Owner, l => l.Partition);
        return new ClusterStatus(
            mode,
            self,
            options.PartitionCount,
            members.Select(m => new ClusterMemberStatus(
                m.SiloId, m.Address, m.Status, m.Alive, m.HeartbeatAgeMs, m.ActivationCount, leases[m.SiloId].Count(), leases[m.SiloId].ToArray())).ToArray());
    }
}
