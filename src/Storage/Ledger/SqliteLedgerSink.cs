using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Odock.Domain.Common;
using Odock.Domain.Usage;
using Odock.Storage.Connections;

namespace Odock.Storage.Ledger;

/// <summary>
/// SQLite: multi-row <c>INSERT … ON CONFLICT DO NOTHING</c> statements in one transaction. Rows per statement stay
/// well under SQLite's limit of bound parameters. Ids, instants and amounts are bound as the CLR values, so the driver
/// spells them exactly as it does for the repositories and the usage queries (TEXT ids, UTC instants, exact decimal
/// TEXT): rows from either path compare equal.
/// </summary>
internal sealed class SqliteLedgerSink(IDbConnectionFactory connections) : ILedgerSink
{
    /// <summary>
    /// Rows per statement. SQLite and the driver look parameters up by name, so a statement with thousands of them
    /// costs more to bind than it saves; a few hundred parameters, bound once and re-valued per chunk, is the sweet spot.
    /// </summary>
    private const int RowsPerStatement = 16;

    private static readonly string FullStatement = Statement(RowsPerStatement);

    public int Write(IReadOnlyList<UsageRecord> batch)
    {
        using var connection = (SqliteConnection)connections.OpenAsync().AsTask().GetAwaiter().GetResult();
        using var transaction = connection.BeginTransaction();
        using var full = Prepare(connection, transaction, RowsPerStatement);
        var inserted = 0;
        for (var start = 0; start < batch.Count; start += RowsPerStatement)
        {
            var rows = Math.Min(RowsPerStatement, batch.Count - start);
            using var partial = rows == RowsPerStatement ? null : Prepare(connection, transaction, rows);
            var command = partial ?? full;
            var parameter = 0;
            for (var i = start; i < start + rows; i++)
            {
                foreach (var value in Values(batch[i]))
                {
                    command.Parameters[parameter++].Value = value;
                }
            }

            inserted += command.ExecuteNonQuery();
        }

        transaction.Commit();
        return inserted;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, int rows)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = rows == RowsPerStatement ? FullStatement : Statement(rows);
        for (var i = 0; i < rows * LedgerColumns.Names.Length; i++)
        {
            command.Parameters.Add(new SqliteParameter("@p" + i.ToString(CultureInfo.InvariantCulture), DBNull.Value));
        }

        return command;
    }

    private static string Statement(int rows)
    {
        var sql = new StringBuilder($"INSERT INTO usage_records ({LedgerColumns.List}) VALUES ");
        var columns = LedgerColumns.Names.Length;
        for (var row = 0; row < rows; row++)
        {
            sql.Append(row == 0 ? "(" : ", (");
            for (var column = 0; column < columns; column++)
            {
                sql.Append(column == 0 ? "@p" : ", @p").Append((row * columns) + column);
            }

            sql.Append(')');
        }

        return sql.Append(" ON CONFLICT (request_id, kind) DO NOTHING").ToString();
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
