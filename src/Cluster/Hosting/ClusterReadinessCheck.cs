using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Odock.Cluster.Hosting;

/// <summary>
/// Readiness of a process that holds no grains (a gateway-only or admin-only process on PostgreSQL): ready once some
/// live silo serves partitions, so an orchestrator does not send traffic that could only be answered 503. A silo that
/// loses some partitions while a crashed peer's leases expire leaves the rest served, and the process stays ready:
/// readiness falling on every gateway at once would turn a partial outage into a whole one. Processes hosting grains,
/// and local mode, are ready on this count from the start.
/// </summary>
internal sealed class ClusterReadinessCheck(ClusterStatusReader reader) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        ClusterStatus status;
        try
        {
            status = await reader.ReadAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"the cluster's membership could not be read: {ex.Message}");
        }

        if (status.Mode != "client")
        {
            return HealthCheckResult.Healthy($"{status.Mode} mode");
        }

        var serving = status.Members.Where(m => m.Alive && m.PartitionCount > 0).ToArray();
        var served = serving.Sum(m => m.PartitionCount);
        return serving.Length == 0
            ? HealthCheckResult.Unhealthy("no live silo serves any partition yet")
            : HealthCheckResult.Healthy($"{serving.Length} live silo(s) serve {served} of {status.PartitionCount} partitions");
    }
}
