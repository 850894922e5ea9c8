using System.Globalization;
using Microsoft.Data.Sqlite;
using Odock.Domain.Common;
using Odock.Domain.Usage;
using Odock.Storage.Connections;

namespace Odock.Storage.Ledger;

/// <summary>
/// SQLite: one prepared single-row <c>INSERT … ON CONFLICT DO NOTHING</c>, re-valued and executed per record inside
/// one transaction per batch, on a connection the writer keeps (its page cache stays warm and the statement is
/// compiled once, not per batch). SQLite and the driver look each bound parameter up by name with a linear scan, so
/// binding a multi-row statement costs the square of its parameter count: 16 rows of 42 columns spent more time in
/// that scan than in writing, while one row's 42 are cheap. Ids, instants and amounts are bound as the CLR values, so
/// the driver spells them exactly as it does for the repositories and the usage queries (TEXT ids, UTC instants,
/// exact decimal TEXT): rows from either path compare equal. After any failure the connection is dropped and the
/// next batch opens a new one.
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
    private static readonly string Statement =
        $"INSERT INTO usage_records ({LedgerColumns.List}) VALUES ({string.Join(", ", Enumerable.Range(0, LedgerColumns.Names.Length).Select(i => "@p" + i.ToString(CultureInfo.InvariantCulture)))}) ON CONFLICT (request_id, kind) DO NOTHING";

    private SqliteConnection? _connection;
    private SqliteCommand? _insert;

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
        using var transaction = _connection!.BeginTransaction();
        insert.Transaction = transaction;
        var inserted = 0;
        foreach (var record in batch)
        {
            var values = Values(record);
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters[i].Value = values[i];
            }

            inserted += insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return inserted;
    }

    private SqliteCommand Prepare()
    {
        _connection = (SqliteConnection)connections.OpenAsync().AsTask().GetAwaiter().GetResult();
        using (var memory = _connection.CreateCommand())
        {
            memory.CommandText = "PRAGMA temp_store=MEMORY";
            memory.ExecuteNonQuery();
        }

        _insert = _connection.CreateCommand();
        _insert.CommandText = Statement;
        for (var i = 0; i < LedgerColumns.Names.Length; i++)
        {
            _insert.Parameters.Add(new SqliteParameter("@p" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value));
        }

        _insert.Prepare();
        return _insert;
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
