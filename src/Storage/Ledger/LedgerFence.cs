using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Odock.Storage.Connections;

namespace Odock.Storage.Ledger;

/// <summary>
/// Makes a budget's recovery sum and its later "was this request counted?" answers agree. A ledger row is stamped
/// <c>recorded_at</c> by the database clock when it is inserted, but becomes visible only when its batch commits. A
/// recovery that summed the ledger while a batch was still open would miss that batch's rows, yet once they
/// committed their stamps would lie before its watermark, so a settle retried for one of them would be taken as
/// already counted and never charged: spend the budget would not see.
/// <para>
/// So no batch may be open while a watermark is taken. On PostgreSQL every batch holds a shared advisory lock for its
/// transaction, taken before its first row is stamped, and the watermark is read under the exclusive lock, which waits
/// for open batches to commit and holds new ones back for the instant of one read. On SQLite every batch already holds
/// the database's single write lock (<c>BEGIN IMMEDIATE</c>), and the watermark is read under it too. Rows stamped
/// before the watermark have therefore committed before any sum that uses it begins, and rows inserted after it are
/// stamped at or after it; sums and questions count <c>recorded_at &lt; watermark</c>.
/// </para>
/// </summary>
internal static class LedgerFence
{
    /// <summary>The advisory lock key (PostgreSQL's advisory keys are one 64-bit space per database): "odock-ledger".</summary>
    public const long Key = 0x6F646F636B4C4744;

    /// <summary>SQLite's clock, as ledger rows are stamped with it and watermarks read from it (text that sorts in time order).</summary>
    public const string SqliteClockSql = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

    /// <summary>Taken first in every PostgreSQL transaction that inserts ledger rows.</summary>
    public static readonly string EnterBatchSql = $"SELECT pg_advisory_xact_lock_shared({Key})";

    /// <summary>Takes the watermark: the database clock once no ledger batch is open. Needs a connection outside any transaction.</summary>
    public static async Task<string> WatermarkAsync(DbConnection connection, StorageEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        string watermark;
        if (engine == StorageEngine.Postgres)
        {
            command.CommandText = $"SELECT pg_advisory_xact_lock({Key}); SELECT clock_timestamp()";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            watermark = reader.GetFieldValue<DateTimeOffset>(0).UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
        }
        else
        {
            // An IMMEDIATE transaction takes the write lock, so this waits (busy timeout) for the writer's open batch.
            command.CommandText = "SELECT " + SqliteClockSql;
            watermark = (string)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return watermark;
    }
}
