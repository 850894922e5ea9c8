using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Cluster;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// Settlements that are still on their way to the silos when their request's answer has been sent whole. The request
/// does not wait for them: on a keep-alive HTTP/1.1 connection the next request starts only when the previous handler
/// returns, so a client sending one request after another would otherwise wait a round trip to the silos each time.
/// They are counted here instead, and a graceful stop waits for them (up to the host's shutdown timeout) before the
/// grain runtime stops, so no budget keeps a hold or misses a charge because the process went away. The gateway's
/// services are registered after the grain runtime's, so this stops after the web server has finished its requests
/// and before the runtime does.
/// </summary>
internal sealed partial class OpenSettlements(ILogger<OpenSettlements> logger) : IHostedService
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(5);

    private readonly ILogger _logger = logger;
    private int _open;

    /// <summary>Settlements sent and not yet answered.</summary>
    public int Count => Volatile.Read(ref _open);

    /// <summary>Counts <paramref name="settlement"/> until it ends, and logs it if it fails.</summary>
    public void Track(Task settlement, string requestId)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        Interlocked.Increment(ref _open);
        _ = settlement.ContinueWith(
            static (done, state) =>
            {
                var (self, id) = ((OpenSettlements, string))state!;
                if (done.Exception?.GetBaseException() is { } failure)
                {
                    if (failure is ClusterUnavailableException)
                    {
                        CallGovernor.LogSettleFailed(self._logger, id, failure.Message);
                    }
                    else
                    {
                        self.LogSettleBroken(failure, id);
                    }
                }

                Interlocked.Decrement(ref self._open);
            },
            (this, requestId),
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Waits until every settlement has been answered, or the host's shutdown timeout runs out.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (Count > 0)
            {
                await Task.Delay(DrainPoll, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogDrainCut(Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} could not be settled with its budgets; the ledger row carries its cost")]
    private partial void LogSettleBroken(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped with {Count} settlements unanswered: their holds lapse at the end of their lifetime, and their budgets count them from the ledger when their grains next activate")]
    private partial void LogDrainCut(int count);
}
