using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Odock.Domain.Common;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using SQLitePCL;

namespace Odock.Storage.Ledger;

/// <summary>
/// SQLite: one prepared single-row <c>INSERT … ON CONFLICT DO NOTHING</c>, re-valued and executed per record inside
/// one transaction per batch, on a connection the writer keeps (its page cache stays warm and the statement is
/// compiled once, not per batch). Values are bound by position straight through SQLitePCL: the driver's own command
/// looks every parameter up by name (a linear scan in SQLite, <c>strncmp</c> per name) and allocates a UTF-8 copy of
/// every string, which together were a tenth of the ledger's CPU (docs/BENCHMARKS.md, "Fifth round"). After any
/// failure the connection is dropped and the next batch opens a new one.
/// <para>
/// Each insert is one row checked against every constraint before it writes, so SQLite needs no statement journal
/// for it (a copy of every page the insert changes, kept so that a statement failing part-way can be undone). A
/// trigger on the table would bring that journal back: an <c>AFTER INSERT</c> trigger runs after the row is written
/// and may fail, and the 0004 trigger that stamped <c>recorded_at</c> cost the writer about a fifth of its CPU that
/// way until migration 0010 replaced it with the column's default (docs/BENCHMARKS.md, "Ninth round"). The
/// connection still keeps its temporary files in memory, so a journal that some future schema change brings back is
/// a memory copy, not a file write (docs/BENCHMARKS.md, "Fourth round").
/// </para>
/// <para>
/// Between rows the sink calls <paramref name="yieldCore"/>. The ledger writer passes one that yields the core while its
/// thread runs at idle priority: on a core it shares with requests, an idle-priority writer is not preempted when a
/// request's thread wakes, and a batch would otherwise hold that request back until the scheduler's next tick
/// (docs/BENCHMARKS.md, "Twelfth round").
/// </para>
/// </summary>
internal sealed class SqliteLedgerSink(IDbConnectionFactory connections, Action? yieldCore = null) : ILedgerSink
{
    /// <summary>
    /// Stamps <c>recorded_at</c> itself, by the database clock under the batch's write lock (<see cref="LedgerFence"/>),
    /// so the table's trigger (migration 0009) has nothing to update.
    /// </summary>
    private static readonly string Statement =
        $"INSERT INTO usage_records ({LedgerColumns.List}, recorded_at) VALUES ({string.Join(", ", Enumerable.Repeat("?", LedgerColumns.Names.Length))}, {LedgerFence.SqliteClockSql}) ON CONFLICT (request_id, kind) DO NOTHING";

    private SqliteConnection? _connection;
    private sqlite3_stmt? _insert;
    private byte[] _text = new byte[1024];

    public int Write(IReadOnlyList<UsageRecord> batch)
    {
        try
        {
            return WriteBatch(batch);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        _insert?.Dispose();
        _connection?.Dispose();
        (_insert, _connection) = (null, null);
    }

    private int WriteBatch(IReadOnlyList<UsageRecord> batch)
    {
        var insert = _insert ?? Prepare();
        var database = _connection!.Handle!;
        using var transaction = _connection.BeginTransaction();
        var inserted = 0;
        var row = new Row(this, insert, database);
        foreach (var record in batch)
        {
            BindRow(row, record);
            var done = raw.sqlite3_step(insert);
            raw.sqlite3_reset(insert);
            if (done != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(done, database);
            }

            inserted += raw.sqlite3_changes(database);

            yieldCore?.Invoke();
        }

        transaction.Commit();
        return inserted;
    }

    private sqlite3_stmt Prepare()
    {
        _connection = (SqliteConnection)connections.OpenAsync().AsTask().GetAwaiter().GetResult();
        using (var memory = _connection.CreateCommand())
        {
            memory.CommandText = "PRAGMA temp_store=MEMORY";
            memory.ExecuteNonQuery();
        }

        var database = _connection.Handle!;
        Check(raw.sqlite3_prepare_v2(database, Statement, out var insert), database);
        _insert = insert;
        return insert;
    }

    /// <summary>
    /// Binds one record's values by position, in <see cref="LedgerColumns.Names"/> order, each with its own typed call:
    /// no boxed values and no array per record (an <c>object[]</c> of boxed values was 7 % of the gateway's allocation).
    /// Each value is spelled as Microsoft.Data.Sqlite spells it for the repositories and the usage queries (upper-case
    /// ids, UTC instants with their offset, exact decimal text), so rows from either path compare equal;
    /// <c>SqliteLedgerSinkTests</c> checks every column against a repository insert.
    /// </summary>
    private static void BindRow(Row row, UsageRecord record)
    {
        row.Start();
        row.Id(record.Id);
        row.Text(record.RequestId);
        row.Instant(record.OccurredAt.ToUniversalTime());
        row.Text(WireName.Of(record.Kind));
        row.Id(record.OrganisationId);
        row.Id(record.TeamId);
        row.Id(record.UserId);
        row.Id(record.ApiKeyId);
        row.Text(record.Endpoint);
        row.Text(record.RequestedModel);
        row.Id(record.ModelId);
        row.Text(record.ModelName);
        row.Id(record.ProviderId);
        row.Text(record.UpstreamSlug);
        row.Id(record.McpServerId);
        row.Text(record.ToolName);
        row.Number(record.HttpStatus);
        row.Text(record.ErrorCode);
        row.Number(record.Streamed ? 1 : 0);
        row.Number(record.LatencyMs);
        row.Number(record.TimeToFirstTokenMs);
        row.Text(record.ErrorClass is { } errorClass ? WireName.Of(errorClass) : null);
        row.Number(record.ClientDisconnected ? 1 : 0);
        row.Number(record.TokensEstimated ? 1 : 0);
        row.Number(record.RoutingAttempts);
        row.Number(record.Tokens.InputTokens);
        row.Number(record.Tokens.CachedInputTokens);
        row.Number(record.Tokens.CacheWriteTokens);
        row.Number(record.Tokens.CacheWriteOneHourTokens);
        row.Number(record.Tokens.OutputTokens);
        row.Number(record.Tokens.ReasoningTokens);
        row.Number(record.Tokens.Images);
        row.Text(record.Tokens.ImageSize);
        row.Text(record.Tokens.ImageQuality);
        row.Amount(record.Tokens.AudioSeconds);
        row.Amount(record.Tokens.AudioOutputSeconds);
        row.Number(record.Tokens.Characters);
        row.Number(record.Tokens.HostedToolCalls?.Total ?? 0);
        row.Amount(record.Cost);
        row.Text(record.Currency);
        row.Text(record.CostBreakdownJson);
        row.Text(record.ProviderUsageJson);
        row.Text(record.RoutingJson);
        if (row.Bound != LedgerColumns.Names.Length)
        {
            throw new InvalidOperationException($"The ledger sink bound {row.Bound} values for {LedgerColumns.Names.Length} columns.");
        }
    }

    private int BindText(sqlite3_stmt insert, int index, string text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (_text.Length < length)
        {
            _text = new byte[Math.Max(length, _text.Length * 2)];
        }

        var written = Encoding.UTF8.GetBytes(text, _text);
        return raw.sqlite3_bind_text(insert, index, _text.AsSpan(0, written));
    }

    private int BindFormatted<T>(sqlite3_stmt insert, int index, T value, string format, bool upperCase)
        where T : IUtf8SpanFormattable
    {
        Span<byte> text = stackalloc byte[64];
        if (!value.TryFormat(text, out var written, format, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException($"The ledger sink could not spell {value}.");
        }

        text = text[..written];
        if (upperCase)
        {
            Ascii.ToUpperInPlace(text, out _);
        }

        return raw.sqlite3_bind_text(insert, index, text);
    }

    private static int BindAmount(sqlite3_stmt insert, int index, decimal amount)
    {
        Span<byte> text = stackalloc byte[64];
        if (!DecimalText.TryFormat(amount, text, out var written, keepOneFractionDigit: true))
        {
            throw new InvalidOperationException($"The ledger sink could not spell {amount}.");
        }

        return raw.sqlite3_bind_text(insert, index, text[..written]);
    }

    private static void Check(int code, sqlite3 database)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, database);
        }
    }

    /// <summary>The next parameter of the insert statement, counted from 1; every bind is checked.</summary>
    private sealed class Row(SqliteLedgerSink sink, sqlite3_stmt insert, sqlite3 database)
    {
        public int Bound { get; private set; }

        public void Start() => Bound = 0;

        public void Id(Guid? id) => Check(id is { } value ? sink.BindFormatted(insert, Next(), value, "D", upperCase: true) : raw.sqlite3_bind_null(insert, Next()));

        public void Text(string? text) => Check(text is null ? raw.sqlite3_bind_null(insert, Next()) : sink.BindText(insert, Next(), text));

        public void Number(long? number) => Check(number is { } value ? raw.sqlite3_bind_int64(insert, Next(), value) : raw.sqlite3_bind_null(insert, Next()));

        public void Instant(DateTimeOffset instant) => Check(sink.BindFormatted(insert, Next(), instant, "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", upperCase: false));

        /// <summary>As the driver spells a decimal (<c>"0.0###…"</c>: exact, no trailing zeros, at least one fraction digit).</summary>
        public void Amount(decimal amount) => Check(BindAmount(insert, Next(), amount));

        private int Next() => ++Bound;

        private void Check(int code) => SqliteLedgerSink.Check(code, database);
    }
}
