using Microsoft.Extensions.Hosting;
using Odock.Cluster.Placement;

namespace Odock.Cluster.Hosting;

/// <summary>Keeps a client-only process's partition directory fresh (silos refresh theirs in the lease loop).</summary>
internal sealed class DirectoryRefresher(DatabasePartitionDirectory directory, ClusterOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await directory.RefreshAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (Membership.LeaseTable.IsTransient(ex))
            {
                // The database is unreachable: calls keep using the last snapshot and fail over by "not owner" answers.
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(options.RenewInterval, time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
