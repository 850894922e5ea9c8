using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Cluster;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// Settlements that are still on their way to the silos when their request's answer has been sent whole, and
/// settlements the cluster could not take. The request does not wait for them: on a keep-alive HTTP/1.1 connection the
/// next request starts only when the previous handler returns, so a client sending one request after another would
/// otherwise wait a round trip to the silos each time. They are counted here instead. One that fails because the
/// cluster could not complete it (a silo down, a partition moving) is sent again after each of <see cref="Backoff"/>,
/// for about two minutes, which outlasts a silo's failover: its calls are idempotent by the attempt's id, so the
/// charge is counted once and the hold is given back as soon as the cluster takes it, rather than when it lapses. A
/// graceful stop waits for them (up to the host's shutdown timeout) before the grain runtime stops. The gateway's
/// services are registered after the grain runtime's, so this stops after the web server has finished its requests
/// and before the runtime does.
/// </summary>
internal sealed partial class OpenSettlements(ILogger<OpenSettlements> logger) : IHostedService, IDisposable
{
    private static readonly TimeSpan DrainPoll = TimeSpan.FromMilliseconds(5);

    /// <summary>The waits before each new send of a settlement the cluster could not take: about two minutes in all.</summary>
    internal static readonly TimeSpan[] Backoff =
        [.. new[] { 0.25, 0.5, 1, 2, 4, 8, 16, 30, 30, 30 }.Select(TimeSpan.FromSeconds)];

    private readonly CancellationTokenSource _stopped = new();
    private int _open;

    /// <summary>Settlements sent and not yet answered, or waiting to be sent again.</summary>
    public int Count => Volatile.Read(ref _open);

    /// <summary>Sends a settlement; a call that fails before it is sent comes back as a failed task, like one that fails on its way.</summary>
    public static Task Send<TState>(Func<TState, Task> send, TState state)
    {
        ArgumentNullException.ThrowIfNull(send);
        try
        {
            return send(state);
        }
        catch (ClusterUnavailableException ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>
    /// Counts <paramref name="settlement"/> until it ends. If the cluster could not take it, sends it again with
    /// <paramref name="send"/> after each wait of <see cref="Backoff"/>, and logs what happened to it.
    /// </summary>
    public void Track<TState>(Task settlement, string requestId, Func<TState, Task> send, TState state)
    {
        ArgumentNullException.ThrowIfNull(settlement);
        Interlocked.Increment(ref _open);
        _ = FollowAsync(settlement, requestId, send, state);
    }

    private async Task FollowAsync<TState>(Task settlement, string requestId, Func<TState, Task> send, TState state)
    {
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await settlement.ConfigureAwait(false);
                    if (attempt > 0)
                    {
                        LogSettledLate(requestId, attempt + 1);
                    }

                    return;
                }
                catch (ClusterUnavailableException ex) when (attempt < Backoff.Length)
                {
                    if (attempt == 0)
                    {
                        LogSettleRetrying(requestId, ex.Message);
                    }
                }

                await Task.Delay(Backoff[attempt], _stopped.Token).ConfigureAwait(false);
                settlement = Send(send, state);
            }
        }
        catch (ClusterUnavailableException ex)
        {
            LogSettleFailed(requestId, Backoff.Length + 1, ex.Message);
        }
        catch (OperationCanceledException) when (_stopped.IsCancellationRequested)
        {
            // Counted by the drain's own message.
        }
        catch (Exception ex)
        {
            LogSettleBroken(ex, requestId);
        }
        finally
        {
            Interlocked.Decrement(ref _open);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Waits until every settlement has been answered, those waiting to be sent again included, or the host's shutdown
    /// timeout runs out; then those still waiting stop.
    /// </summary>
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
        finally
        {
            await _stopped.CancelAsync().ConfigureAwait(false);
        }
    }

    public void Dispose() => _stopped.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId}: the cluster could not take its settlement ({Reason}); sending it again")]
    private partial void LogSettleRetrying(string requestId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {RequestId} was settled at its attempt {Attempts}")]
    private partial void LogSettledLate(string requestId, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} could not be settled with its budgets after {Attempts} attempts ({Reason}); its holds lapse at the end of their lifetime, and the ledger row carries its cost")]
    private partial void LogSettleFailed(string requestId, int attempts, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {RequestId} could not be settled with its budgets; the ledger row carries its cost")]
    private partial void LogSettleBroken(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped with {Count} settlements unanswered: their holds lapse at the end of their lifetime, and their budgets count them from the ledger when their grains next activate")]
    private partial void LogDrainCut(int count);
}
