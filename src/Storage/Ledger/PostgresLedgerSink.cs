using Npgsql;
using NpgsqlTypes;
using Odock.Domain.Common;
using Odock.Domain.Usage;

namespace Odock.Storage.Ledger;

/// <summary>
/// PostgreSQL: binary COPY into a transaction-local staging table, then one <c>INSERT … SELECT … ON CONFLICT DO
/// NOTHING</c>. COPY is the fastest way in but cannot skip duplicates, so it lands where duplicates do no harm; the
/// insert keeps the first row of each request id, in the order the batch was given. Each batch holds the ledger
/// fence's shared lock (<see cref="LedgerFence"/>) before any row is stamped.
/// </summary>
internal sealed class PostgresLedgerSink(NpgsqlDataSource dataSource) : ILedgerSink
{
    /// <summary>Joins the batches a budget's recovery waits for (<see cref="LedgerFence"/>), then makes the staging table.</summary>
    private static readonly string Begin =
        $"{LedgerFence.EnterBatchSql}; CREATE TEMP TABLE usage_staging (LIKE usage_records INCLUDING DEFAULTS, seq integer NOT NULL) ON COMMIT DROP";

    private static readonly string Copy = $"COPY usage_staging ({LedgerColumns.List}, seq) FROM STDIN (FORMAT BINARY)";

    private static readonly string Insert =
        $"INSERT INTO usage_records ({LedgerColumns.List}) SELECT {LedgerColumns.List} FROM usage_staging ORDER BY seq ON CONFLICT (request_id, kind) DO NOTHING";

    /// <summary>Nothing to release: each batch borrows a connection from the data source's pool.</summary>
    public void Dispose()
    {
    }

    public int Write(IReadOnlyList<UsageRecord> batch)
    {
        using var connection = dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using (var begin = new NpgsqlCommand(Begin, connection, transaction))
        {
            begin.ExecuteNonQuery();
        }

        using (var importer = connection.BeginBinaryImport(Copy))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                importer.StartRow();
                WriteRow(importer, batch[i]);
                importer.Write(i, NpgsqlDbType.Integer);
            }

            importer.Complete();
        }

        int inserted;
        using (var insert = new NpgsqlCommand(Insert, connection, transaction))
        {
            inserted = insert.ExecuteNonQuery();
        }

        transaction.Commit();
        return inserted;
    }

    private static void WriteRow(NpgsqlBinaryImporter row, UsageRecord record)
    {
        row.Write(record.Id, NpgsqlDbType.Uuid);
        row.Write(record.RequestId, NpgsqlDbType.Text);
        row.Write(record.OccurredAt.ToUniversalTime(), NpgsqlDbType.TimestampTz);
        row.Write(WireName.Of(record.Kind), NpgsqlDbType.Text);
        row.Write(record.OrganisationId, NpgsqlDbType.Uuid);
        Nullable(row, record.TeamId, NpgsqlDbType.Uuid);
        Nullable(row, record.UserId, NpgsqlDbType.Uuid);
        Nullable(row, record.ApiKeyId, NpgsqlDbType.Uuid);
        Text(row, record.Endpoint);
        Text(row, record.RequestedModel);
        Nullable(row, record.ModelId, NpgsqlDbType.Uuid);
        Text(row, record.ModelName);
        Nullable(row, record.ProviderId, NpgsqlDbType.Uuid);
        Text(row, record.UpstreamSlug);
        Nullable(row, record.McpServerId, NpgsqlDbType.Uuid);
        Text(row, record.ToolName);
        row.Write(record.HttpStatus, NpgsqlDbType.Integer);
        Text(row, record.ErrorCode);
        row.Write(record.Streamed, NpgsqlDbType.Boolean);
        row.Write(record.LatencyMs, NpgsqlDbType.Bigint);
        Nullable(row, record.TimeToFirstTokenMs, NpgsqlDbType.Bigint);
        Text(row, record.ErrorClass is { } errorClass ? WireName.Of(errorClass) : null);
        row.Write(record.ClientDisconnected, NpgsqlDbType.Boolean);
        row.Write(record.TokensEstimated, NpgsqlDbType.Boolean);
        Nullable(row, record.RoutingAttempts, NpgsqlDbType.Integer);
        row.Write(record.Tokens.InputTokens, NpgsqlDbType.Bigint);
        row.Write(record.Tokens.CachedInputTokens, NpgsqlDbType.Bigint);
        row.Write(record.Tokens.CacheWriteTokens, NpgsqlDbType.Bigint);
        row.Write(record.Tokens.CacheWriteOneHourTokens, NpgsqlDbType.Bigint);
        row.Write(record.Tokens.OutputTokens, NpgsqlDbType.Bigint);
        row.Write(record.Tokens.ReasoningTokens, NpgsqlDbType.Bigint);
        row.Write(record.Tokens.Images, NpgsqlDbType.Bigint);
        Text(row, record.Tokens.ImageSize);
        Text(row, record.Tokens.ImageQuality);
        row.Write(record.Tokens.AudioSeconds, NpgsqlDbType.Numeric);
        row.Write(record.Tokens.AudioOutputSeconds, NpgsqlDbType.Numeric);
        row.Write(record.Tokens.Characters, NpgsqlDbType.Bigint);
        row.Write(record.Tokens.HostedToolCalls?.Total ?? 0, NpgsqlDbType.Bigint);
        row.Write(record.Cost, NpgsqlDbType.Numeric);
        Text(row, record.Currency);
        Text(row, record.CostBreakdownJson);
        Text(row, record.ProviderUsageJson);
        Text(row, record.RoutingJson);
    }

    private static void Text(NpgsqlBinaryImporter row, string? value)
    {
        if (value is null)
        {
            row.WriteNull();
        }
        else
        {
            row.Write(value, NpgsqlDbType.Text);
        }
    }

    private static void Nullable<T>(NpgsqlBinaryImporter row, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } present)
        {
            row.Write(present, type);
        }
        else
        {
            row.WriteNull();
        }
    }
}
