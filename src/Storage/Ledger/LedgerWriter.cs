using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Odock.Domain.Usage;
using Odock.Storage.Connections;

namespace Odock.Storage.Ledger;

/// <summary>
/// Writes usage records to the ledger off the request path. Producers hand records to a bounded queue; one writer
/// takes them in batches (binary COPY on PostgreSQL, a prepared insert per record on SQLite), skipping request ids already in the
/// ledger. While the database cannot take a batch the writer appends it to a local spool file and replays the spool,
/// in order, when the database returns; everything that arrives meanwhile queues behind the spool, so order holds. A
/// record the database refuses for its data is set aside in a dead-letter file with the reason, and the rest of its
/// batch is written. Stopping drains the queue; if the host's shutdown deadline passes first, the rest is spooled.
/// </summary>
public sealed partial class LedgerWriter : IHostedLifecycleService, IAsyncDisposable
{
    private readonly LedgerOptions _options;
    private readonly ILedgerSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Channel<UsageRecord> _queue;
    private readonly DeadLetterFile _deadLetters;
    private readonly LedgerSpool _spool;
    private readonly LedgerMetrics _metrics;
    private readonly List<UsageRecord> _batch;
    private WriterThreadPriority? _priority;
    private Task _running = Task.CompletedTask;
    private DateTimeOffset _nextAttempt;
    private volatile bool _abandonDatabase;
    private volatile bool _closing;
    private int _inFlight;
    private int _peakQueueDepth;

    public LedgerWriter(IDbConnectionFactory connections, LedgerOptions options, TimeProvider time, ILogger<LedgerWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(Environment.NewLine, problems), nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;
        _sink = CreateSink(connections, YieldWhileIdle);
        var directory = SpoolDirectoryFor(connections, options);
        Directory.CreateDirectory(directory);
        _deadLetters = new DeadLetterFile(System.IO.Path.Combine(directory, DeadLetterFile.FileName), time);
        _spool = new LedgerSpool(System.IO.Path.Combine(directory, LedgerSpool.FileName), _deadLetters);
        _queue = Channel.CreateBounded<UsageRecord>(new BoundedChannelOptions(options.Capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _batch = new List<UsageRecord>(options.BatchSize);
        _metrics = new LedgerMetrics(() => _queue.Reader.Count, () => _spool.PendingBytes, () => WriterIsIdle ? 1 : 0);
    }

    public string SpoolPath => _spool.Path;

    public string DeadLetterPath => _deadLetters.Path;

    public long Queued => _metrics.Queued;

    /// <summary>Rows this writer added to the ledger (duplicates not counted).</summary>
    public long Written => _metrics.Written;

    public long Duplicates => _metrics.Duplicates;

    public long Spooled => _metrics.Spooled;

    public long Replayed => _metrics.Replayed;

    public long DeadLettered => _metrics.DeadLettered;

    /// <summary>The most records the writer has found waiting in memory at once; never above <see cref="LedgerOptions.Capacity"/>.</summary>
    public int PeakQueueDepth => Volatile.Read(ref _peakQueueDepth);

    public long PendingSpoolBytes => _spool.PendingBytes;

    /// <summary>
    /// The writer's thread runs at idle priority now (Linux, while it keeps up; <see cref="WriterThreadPriority"/>):
    /// it only takes CPU time that requests leave.
    /// </summary>
    public bool WriterIsIdle => _priority?.IsIdle ?? false;

    /// <summary>Nothing queued, nothing being written, nothing left in the spool.</summary>
    public bool IsIdle => _queue.Reader.Count == 0 && Volatile.Read(ref _inFlight) == 0 && !_spool.HasPending;

    /// <summary>
    /// The engine's sink: binary COPY on PostgreSQL, a prepared insert on SQLite, which calls <paramref name="yieldCore"/>
    /// between rows.
    /// </summary>
    internal static ILedgerSink CreateSink(IDbConnectionFactory connections, Action? yieldCore = null) => connections switch
    {
        PostgresConnectionFactory postgres => new PostgresLedgerSink(postgres.DataSource),
        _ when connections.Engine == StorageEngine.Sqlite => new SqliteLedgerSink(connections, yieldCore),
        _ => throw new ArgumentException("The ledger writer needs a PostgresConnectionFactory for PostgreSQL (binary COPY).", nameof(connections)),
    };

    /// <summary>
    /// Between two rows of a batch, while the writer's thread runs at idle priority: gives the core to any thread that
    /// wants it, since the scheduler does not preempt an idle-priority thread at once when one wakes (on the kernel
    /// measured it waited up to a tick; docs/BENCHMARKS.md, "Twelfth round"). A row takes about 20 µs, and with nothing
    /// waiting the call returns at once. Not once the writer has stepped up to nice +5 because it fell behind: yielding
    /// there puts its share of the core off, and the scheduler then pays it back in one long run (a p99 of 42 ms at 16
    /// connections, closed loop, against 5 ms without).
    /// </summary>
    private void YieldWhileIdle()
    {
        if (_priority?.IsIdle == true)
        {
            Thread.Yield();
        }
    }

    /// <summary>
    /// Accepts a record for the ledger. Completes at once while the queue has room; when it is full, waits up to
    /// <see cref="LedgerOptions.EnqueueTimeout"/> and then appends the record to the spool itself, so a record is
    /// never dropped and memory never grows past the queue's capacity.
    /// </summary>
    public ValueTask AppendAsync(UsageRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_queue.Writer.TryWrite(record))
        {
            _metrics.AddQueued(1);
            return ValueTask.CompletedTask;
        }

        return AppendSlowlyAsync(record, cancellationToken);
    }

    /// <summary>Waits until everything accepted so far is in the ledger (or dead-lettered), polling every few milliseconds.</summary>
    public async Task WaitUntilIdleAsync(CancellationToken cancellationToken = default)
    {
        while (!IsIdle)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogStarted(_spool.Path, _spool.PendingBytes);
        if (_spool.HasPending)
        {
            _nextAttempt = _time.GetUtcNow();
        }

        // A thread of its own: both drivers' bulk paths block while they write and commit, and a blocked thread-pool
        // thread on a small gateway would stall requests until the pool grows.
        _running = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Nothing yet: the web server stops after services registered later than it, and requests it is still finishing
    /// have records to write. The queue is drained in <see cref="StoppedAsync"/>, once every service has stopped.
    /// </summary>
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken);

    /// <summary>
    /// Closes the queue and writes what it holds. When <paramref name="cancellationToken"/> fires first (the host's
    /// shutdown deadline), the writer stops trying the database and spools the rest for the next start.
    /// </summary>
    public async Task DrainAsync(CancellationToken cancellationToken)
    {
        _closing = true;
        _queue.Writer.TryComplete();
        using (cancellationToken.Register(() => _abandonDatabase = true))
        {
            await _running.ConfigureAwait(false);
        }

        LogStopped(Written, Spooled, DeadLettered, _spool.PendingBytes);
    }

    public async ValueTask DisposeAsync()
    {
        _closing = true;
        _queue.Writer.TryComplete();
        _abandonDatabase = true;
        await _running.ConfigureAwait(false);
        _sink.Dispose();
        _spool.Dispose();
        _deadLetters.Dispose();
        _metrics.Dispose();
    }

    private async ValueTask AppendSlowlyAsync(UsageRecord record, CancellationToken cancellationToken)
    {
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(_options.EnqueueTimeout);
        try
        {
            await _queue.Writer.WriteAsync(record, patience.Token).ConfigureAwait(false);
            _metrics.AddQueued(1);
            return;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            LogOverflowed(record.RequestId, _options.EnqueueTimeout);
        }
        catch (ChannelClosedException)
        {
            LogArrivedAfterStop(record.RequestId);
        }

        try
        {
            // Not flushed here: one disk flush per record would make the slow path slower still. The writer's next
            // spool write or replay, or shutdown, flushes it along with everything before it.
            _spool.Append([record], flushToDisk: false);
            _metrics.AddQueued(1);
            _metrics.AddSpooled(1);
        }
        catch (IOException ex)
        {
            // The disk will not take it either: hold the caller until the writer makes room, rather than lose the record.
            LogSpoolFailed(1, _spool.Path, ex.Message);
            await _queue.Writer.WriteAsync(record, cancellationToken).ConfigureAwait(false);
            _metrics.AddQueued(1);
        }
    }

    private void Run()
    {
        // Behind by a full batch, or by 256 records, the writer stops waiting for idle time.
        _priority = WriterThreadPriority.TakeOver(Math.Min(_options.BatchSize, 256), _options.IdlePriority);
        while (true)
        {
            var more = WaitForWork();
            Linger();
            Take(_batch);
            if (_batch.Count > 0 && (_spool.HasPending || _abandonDatabase))
            {
                Spool(_batch);
            }
            else if (_batch.Count > 0)
            {
                Write(_batch);
            }

            _batch.Clear();
            if (_spool.HasPending && !_abandonDatabase && (!more || _time.GetUtcNow() >= _nextAttempt))
            {
                Replay();
            }

            Volatile.Write(ref _inFlight, 0);

            if (!more)
            {
                return;
            }
        }
    }

    /// <summary>False once the queue is closed and empty. With a spool to replay, waits no longer than the next attempt.</summary>
    private bool WaitForWork()
    {
        if (_queue.Reader.TryPeek(out _))
        {
            return true;
        }

        var delay = _spool.HasPending && !_abandonDatabase ? _nextAttempt - _time.GetUtcNow() : Timeout.InfiniteTimeSpan;
        if (delay != Timeout.InfiniteTimeSpan && delay <= TimeSpan.Zero)
        {
            return true;
        }

        using var timeout = delay == Timeout.InfiniteTimeSpan ? new CancellationTokenSource() : new CancellationTokenSource(delay, _time);
        try
        {
            return _queue.Reader.WaitToReadAsync(timeout.Token).AsTask().GetAwaiter().GetResult();
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>
    /// Group commit: a writer woken by the first record of a quiet spell waits <see cref="LedgerOptions.Linger"/> for
    /// the records right behind it, so a steady trickle is written a batch per transaction rather than a record per
    /// transaction and a wake-up per request. Skipped when a full batch is already waiting and while the queue closes.
    /// </summary>
    private void Linger()
    {
        if (_options.Linger > TimeSpan.Zero && !_closing && _queue.Reader.Count < _options.BatchSize)
        {
            Thread.Sleep(_options.Linger);
        }
    }

    private void Take(List<UsageRecord> batch)
    {
        var depth = _queue.Reader.Count;
        if (depth > _peakQueueDepth)
        {
            Volatile.Write(ref _peakQueueDepth, depth);
        }

        _priority?.Observe(depth);

        Volatile.Write(ref _inFlight, 1);
        while (batch.Count < _options.BatchSize && _queue.Reader.TryRead(out var record))
        {
            batch.Add(record);
        }
    }

    private void Write(List<UsageRecord> batch)
    {
        if (TryWrite(batch) is { } unwritten)
        {
            _nextAttempt = _time.GetUtcNow() + _options.RetryInterval;
            Spool(unwritten);
        }
    }

    /// <summary>
    /// Replays the spool from the front, one batch at a time, until it is empty or the database fails again. Records
    /// arriving meanwhile are spooled behind it, so producers keep moving and order is kept.
    /// </summary>
    private void Replay()
    {
        var replayed = 0L;
        while (_spool.HasPending && !_abandonDatabase)
        {
            var chunk = _spool.Read(_options.BatchSize);
            if (chunk.Records.Count > 0 && TryWrite(chunk.Records) is not null)
            {
                _nextAttempt = _time.GetUtcNow() + _options.RetryInterval;
                return;
            }

            _spool.Replayed(chunk.End);
            _metrics.AddReplayed(chunk.Records.Count);
            replayed += chunk.Records.Count;
            Take(_batch);
            if (_batch.Count > 0)
            {
                Spool(_batch);
                _batch.Clear();
            }
        }

        if (!_spool.HasPending)
        {
            LogReplayed(replayed);
        }
    }

    /// <summary>
    /// Writes the records, splitting a batch the database refuses for its data until the refused records are alone
    /// (each then goes to the dead-letter file). Returns null when done, or the records not yet written, in order,
    /// when the database failed for another reason (unreachable, busy).
    /// </summary>
    private List<UsageRecord>? TryWrite(IReadOnlyList<UsageRecord> records)
    {
        var segments = new Stack<(int Start, int Count)>();
        segments.Push((0, records.Count));
        while (segments.TryPop(out var segment))
        {
            var slice = Slice(records, segment.Start, segment.Count);
            try
            {
                var inserted = _sink.Write(slice);
                _metrics.AddWritten(inserted, slice.Count - inserted);
            }
            catch (Exception ex) when (LedgerFailures.IsDataError(ex))
            {
                if (segment.Count == 1)
                {
                    var reason = LedgerFailures.Describe(ex);
                    _deadLetters.Add(slice[0], reason);
                    _metrics.AddDeadLettered(1);
                    LogDeadLettered(slice[0].RequestId, _deadLetters.Path, reason);
                }
                else
                {
                    var half = segment.Count / 2;
                    segments.Push((segment.Start + half, segment.Count - half));
                    segments.Push((segment.Start, half));
                }
            }
            catch (Exception ex)
            {
                LogDatabaseUnavailable(records.Count, _spool.Path, _options.RetryInterval, ex.Message);
                while (segments.TryPop(out var rest))
                {
                    slice.AddRange(Slice(records, rest.Start, rest.Count));
                }

                return slice;
            }
        }

        return null;
    }

    private void Spool(List<UsageRecord> records)
    {
        while (true)
        {
            try
            {
                _spool.Append(records);
                _metrics.AddSpooled(records.Count);
                return;
            }
            catch (IOException ex)
            {
                LogSpoolFailed(records.Count, _spool.Path, ex.Message);
                if (_abandonDatabase)
                {
                    LogLost(records.Count);
                    return;
                }

                // Held in memory meanwhile: the queue fills and producers wait, which bounds what is at risk.
                Thread.Sleep(_options.RetryInterval);
                if (!_spool.HasPending && TryWrite(records) is null)
                {
                    return;
                }
            }
        }
    }

    private static List<UsageRecord> Slice(IReadOnlyList<UsageRecord> records, int start, int count)
    {
        var slice = new List<UsageRecord>(count);
        for (var i = start; i < start + count; i++)
        {
            slice.Add(records[i]);
        }

        return slice;
    }

    private static string SpoolDirectoryFor(IDbConnectionFactory connections, LedgerOptions options) =>
        options.SpoolDirectory is { } configured
            ? System.IO.Path.GetFullPath(configured)
            : connections is SqliteConnectionFactory sqlite
                ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(sqlite.FilePath)!, "ledger")
                : System.IO.Path.GetFullPath(System.IO.Path.Combine("data", "ledger"));
}
