using Microsoft.Extensions.Hosting;
using Odock.Cluster.Activation;

namespace Odock.Cluster.Hosting;

/// <summary>Deactivates idle activations periodically (every quarter of the idle age, at most every 30 seconds).</summary>
internal sealed class IdleCollector(ActivationCatalog catalog, ClusterOptions options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromTicks(Math.Min(options.IdleCollectionAge.Ticks / 4, TimeSpan.FromSeconds(30).Ticks));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, time, stoppingToken).ConfigureAwait(false);
                await catalog.CollectIdleAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
