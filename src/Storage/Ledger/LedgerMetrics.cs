using System.Diagnostics.Metrics;

namespace Odock.Storage.Ledger;

/// <summary>The ledger writer's figures as metrics (meter <c>Odock.Ledger</c>), also kept as totals for tests and status pages.</summary>
internal sealed class LedgerMetrics : IDisposable
{
    public const string MeterName = "Odock.Ledger";

    private readonly Meter _meter = new(MeterName);
    private readonly Counter<long> _queued;
    private readonly Counter<long> _written;
    private readonly Counter<long> _duplicates;
    private readonly Counter<long> _spooled;
    private readonly Counter<long> _replayed;
    private readonly Counter<long> _deadLettered;
    private long _queuedTotal;
    private long _writtenTotal;
    private long _duplicatesTotal;
    private long _spooledTotal;
    private long _replayedTotal;
    private long _deadLetteredTotal;

    public LedgerMetrics(Func<int> queueDepth, Func<long> spoolBytes, Func<int> writerIdle)
    {
        _queued = _meter.CreateCounter<long>("odock.ledger.queued", description: "Usage records accepted by the ledger writer");
        _written = _meter.CreateCounter<long>("odock.ledger.written", description: "Usage records newly written to the ledger");
        _duplicates = _meter.CreateCounter<long>("odock.ledger.duplicates", description: "Usage records skipped because their request id was already in the ledger");
        _spooled = _meter.CreateCounter<long>("odock.ledger.spooled", description: "Usage records written to the local spool file while the database could not take them");
        _replayed = _meter.CreateCounter<long>("odock.ledger.replayed", description: "Spooled usage records replayed into the ledger");
        _deadLettered = _meter.CreateCounter<long>("odock.ledger.dead_lettered", description: "Usage records the database refused for their data, kept in the dead-letter file");
        _meter.CreateObservableGauge("odock.ledger.queue_depth", queueDepth, description: "Usage records in memory waiting for the writer");
        _meter.CreateObservableGauge("odock.ledger.spool_bytes", spoolBytes, unit: "By", description: "Bytes of the spool file not yet replayed");
        _meter.CreateObservableGauge("odock.ledger.writer_idle", writerIdle, description: "1 while the writer's thread runs at idle priority (keeping up), 0 while it competes for the CPU");
    }

    public long Queued => Interlocked.Read(ref _queuedTotal);

    public long Written => Interlocked.Read(ref _writtenTotal);

    public long Duplicates => Interlocked.Read(ref _duplicatesTotal);

    public long Spooled => Interlocked.Read(ref _spooledTotal);

    public long Replayed => Interlocked.Read(ref _replayedTotal);

    public long DeadLettered => Interlocked.Read(ref _deadLetteredTotal);

    public void AddQueued(long count) => Add(_queued, ref _queuedTotal, count);

    public void AddWritten(long written, long duplicates)
    {
        Add(_written, ref _writtenTotal, written);
        Add(_duplicates, ref _duplicatesTotal, duplicates);
    }

    public void AddSpooled(long count) => Add(_spooled, ref _spooledTotal, count);

    public void AddReplayed(long count) => Add(_replayed, ref _replayedTotal, count);

    public void AddDeadLettered(long count) => Add(_deadLettered, ref _deadLetteredTotal, count);

    public void Dispose() => _meter.Dispose();

    private static void Add(Counter<long> counter, ref long total, long count)
    {
        if (count > 0)
        {
            counter.Add(count);
            Interlocked.Add(ref total, count);
        }
    }
}
