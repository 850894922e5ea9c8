using Microsoft.Extensions.Diagnostics.HealthChecks;
using Odock.Storage.Migrations;

namespace Odock.Silo.Health;

/// <summary>Ready when the database answers and every migration this build ships has been applied.</summary>
internal sealed class StorageReadinessCheck : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);
    private readonly MigrationRunner _migrations;

    public StorageReadinessCheck(MigrationRunner migrations)
    {
        ArgumentNullException.ThrowIfNull(migrations);
        _migrations = migrations;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await _migrations.IsUpToDateAsync(timeout.Token).ConfigureAwait(false)
                ? HealthCheckResult.Healthy("storage reachable, migrations applied")
                : HealthCheckResult.Unhealthy("storage reachable, but migrations are pending");
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("storage unreachable: " + ex.GetType().Name);
        }
    }
}
