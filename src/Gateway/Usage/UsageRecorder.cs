using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Domain.Usage;
using Odock.Storage.Store;

namespace Odock.Gateway.Usage;

/// <summary>
/// Writes usage records to the ledger off the request path, in batches of up to <see cref="BatchSize"/>. The queue is
/// bounded: when storage falls behind, requests wait to enqueue rather than memory growing without end. Whatever is
/// queued is written on graceful shutdown; a batch that fails is retried, and the ledger skips duplicates by request id.
/// </summary>
internal sealed partial class UsageRecorder(IOdockStore store, ILogger<UsageRecorder> logger) : BackgroundService
{
    private const int BatchSize = 500;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Channel<UsageRecord> _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(50_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    private long _written;

    public long Written => Interlocked.Read(ref _written);

    public ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken) => _queue.Writer.WriteAsync(record, cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The writer runs on a thread of its own: database drivers (SQLite's always) block while they write and commit,
    /// and a blocked thread-pool thread on a one-core gateway would stall every request until the pool grows.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => WriteLoop(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void WriteLoop(CancellationToken stoppingToken)
    {
        var batch = new List<UsageRecord>(BatchSize);
        while (_queue.Reader.WaitToReadAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < BatchSize && _queue.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            WriteAsync(batch, stoppingToken).GetAwaiter().GetResult();
            batch.Clear();
        }
    }

    private async Task WriteAsync(List<UsageRecord> batch, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // One transaction a batch: one commit (one fsync) for up to BatchSize rows.
                await using var session = await store.BeginTransactionAsync(CancellationToken.None).ConfigureAwait(false);
                await session.Usage.AppendAsync(batch, CancellationToken.None).ConfigureAwait(false);
                await session.CommitAsync(CancellationToken.None).ConfigureAwait(false);
                Interlocked.Add(ref _written, batch.Count);
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or IOException)
            {
                LogWriteFailed(batch.Count, attempt, ex.Message);
                if (stoppingToken.IsCancellationRequested && attempt >= 3)
                {
                    LogDropped(batch.Count);
                    return;
                }

                await Task.Delay(RetryDelay, CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Count} usage record(s) failed (attempt {Attempt}): {Reason}")]
    private partial void LogWriteFailed(int count, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Shutting down with {Count} usage record(s) that storage would not take")]
    private partial void LogDropped(int count);
}
