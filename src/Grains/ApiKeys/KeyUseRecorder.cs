using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Storage.Store;

namespace Odock.Grains.ApiKeys;

/// <summary>
/// Keeps each key's last use in memory and writes them all to storage in one transaction every
/// <see cref="Interval"/> and when the process stops, so admitting a request never waits on a database write and a
/// key's <c>last_used_at</c> is at most an interval behind. A stored time only moves forward: two processes that saw
/// the same key (one per secret during a rotation's grace period) cannot set it back.
/// </summary>
public sealed partial class KeyUseRecorder(IServiceProvider services, TimeProvider time, ILogger<KeyUseRecorder> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _pending = new();

    /// <summary>Remembers that <paramref name="keyId"/> was used at <paramref name="usedAt"/>, keeping the later of two uses.</summary>
    public void Note(Guid keyId, DateTimeOffset usedAt) =>
        _pending.AddOrUpdate(keyId, static (_, at) => at, static (_, earlier, at) => at > earlier ? at : earlier, usedAt);

    /// <summary>
    /// Writes every remembered use; what another use changes meanwhile stays for the next flush. The write runs on a
    /// thread of its own, not the thread pool's: SQLite's calls are synchronous, and one that meets the ledger writer's
    /// lock sleeps in SQLite's busy handler, which on a gateway with one pool worker would hold up every request.
    /// </summary>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var uses = _pending.ToArray();
        return uses.Length == 0
            ? Task.CompletedTask
            : Task.Factory.StartNew(() => WriteAsync(uses, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    private async Task WriteAsync(KeyValuePair<Guid, DateTimeOffset>[] uses, CancellationToken cancellationToken)
    {
        var store = services.GetRequiredService<IOdockStore>();
        await using (var session = await store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            foreach (var (keyId, usedAt) in uses)
            {
                await session.ApiKeys.TouchAsync(keyId, usedAt, cancellationToken).ConfigureAwait(false);
            }

            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var use in uses)
        {
            _pending.TryRemove(use);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        await TryFlushAsync(cancellationToken).ConfigureAwait(false);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                await TryFlushAsync(stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task TryFlushAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            // Advisory only: the uses stay remembered and the next flush tries again.
            LogFlushFailed(logger, _pending.Count, ex.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the last use of {Count} API keys: {Reason}")]
    private static partial void LogFlushFailed(ILogger logger, int count, string reason);
}
