using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Odock.Domain.Common;
using Odock.Domain.Usage;
using Odock.Storage.Connections;

namespace Odock.Storage.Ledger;

/// <summary>
/// SQLite: one prepared single-row <c>INSERT … ON CONFLICT DO NOTHING</c>, re-valued and executed per record inside
/// one transaction per batch, on a connection the writer keeps (its page cache stays warm and the statement is
/// compiled once, not per batch). Values are bound by position straight through SQLitePCL: the driver's own command
/// looks every parameter up by name (a linear scan in SQLite, <c>strncmp</c> per name) and allocates a UTF-8 copy of
/// every string, which together were a tenth of the ledger's CPU (docs/BENCHMARKS.md, "Fifth round"). After any
/// failure the connection is dropped and the next batch opens a new one.
/// <para>
/// The connection keeps its temporary files in memory. Inside a batch's transaction every insert may fail part-way
/// (a NOT NULL or primary key violation), so SQLite first copies each page the insert will change (the row's page and
/// one per index) to a statement journal, a temporary file: at a few thousand rows a second that was nine in ten of
/// the writer's writes and about a tenth of the gateway's core (docs/BENCHMARKS.md, "Fourth round"). In memory it is a
/// copy, and a batch's statement journal never holds more than one row's pages.
/// </para>
/// </summary>
internal sealed class SqliteLedgerSink(IDbConnectionFactory connections) : ILedgerSink
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
        foreach (var record in batch)
        {
            var values = Values(record);
            for (var i = 0; i < values.Length; i++)
            {
                Check(Bind(insert, i + 1, values[i]), database);
            }

            var done = raw.sqlite3_step(insert);
            raw.sqlite3_reset(insert);
            if (done != raw.SQLITE_DONE)
            {
                SqliteException.ThrowExceptionForRC(done, database);
            }

            inserted += raw.sqlite3_changes(database);
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
    /// Binds by position, with each value spelled as Microsoft.Data.Sqlite spells it for the repositories and the
    /// usage queries (upper-case ids, UTC instants with their offset, exact decimal text), so rows from either path
    /// compare equal; <c>SqliteLedgerSinkTests</c> checks every column against a repository insert.
    /// </summary>
    private int Bind(sqlite3_stmt insert, int index, object value) => value switch
    {
        DBNull => raw.sqlite3_bind_null(insert, index),
        long number => raw.sqlite3_bind_int64(insert, index, number),
        int number => raw.sqlite3_bind_int64(insert, index, number),
        string text => BindText(insert, index, text),
        Guid id => BindFormatted(insert, index, id, "D", upperCase: true),
        DateTimeOffset instant => BindFormatted(insert, index, instant, "yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", upperCase: false),
        decimal amount => BindFormatted(insert, index, amount, "0.0###########################", upperCase: false),
        _ => throw new InvalidOperationException($"The ledger sink cannot bind a {value.GetType().Name}."),
    };

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

    private static void Check(int code, sqlite3 database)
    {
        if (code != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, database);
        }
    }

    private static object[] Values(UsageRecord record) =>
    [
        Id(record.Id), record.RequestId, record.OccurredAt.ToUniversalTime(), WireName.Of(record.Kind),
        Id(record.OrganisationId), Id(record.TeamId), Id(record.UserId), Id(record.ApiKeyId), Text(record.Endpoint),
        Text(record.RequestedModel), Id(record.ModelId), Text(record.ModelName), Id(record.ProviderId), Text(record.UpstreamSlug),
        Id(record.McpServerId), Text(record.ToolName), record.HttpStatus, Text(record.ErrorCode), record.Streamed ? 1 : 0,
        record.LatencyMs, record.TimeToFirstTokenMs is { } ttft ? ttft : DBNull.Value,
        record.ErrorClass is { } errorClass ? WireName.Of(errorClass) : DBNull.Value,
        record.ClientDisconnected ? 1 : 0, record.TokensEstimated ? 1 : 0,
        record.RoutingAttempts is { } attempts ? attempts : DBNull.Value,
        record.Tokens.InputTokens, record.Tokens.CachedInputTokens, record.Tokens.CacheWriteTokens,
        record.Tokens.CacheWriteOneHourTokens, record.Tokens.OutputTokens, record.Tokens.ReasoningTokens, record.Tokens.Images,
        Text(record.Tokens.ImageSize), Text(record.Tokens.ImageQuality), record.Tokens.AudioSeconds,
        record.Tokens.AudioOutputSeconds, record.Tokens.Characters, record.Cost,
        Text(record.Currency), Text(record.CostBreakdownJson), Text(record.ProviderUsageJson), Text(record.RoutingJson),
    ];

    private static object Id(Guid? id) => id is { } value ? value : DBNull.Value;

    private static object Text(string? text) => text is null ? DBNull.Value : text;
}
