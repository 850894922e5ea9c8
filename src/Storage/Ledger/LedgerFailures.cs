using Microsoft.Data.Sqlite;
using Npgsql;

namespace Odock.Storage.Ledger;

/// <summary>
/// Tells a record the database will never take (its data breaks a rule: dead-letter it) from a database that cannot
/// take anything right now (unreachable, busy, disk full: spool and retry).
/// </summary>
internal static class LedgerFailures
{
    private const int SqliteTooBig = 18;
    private const int SqliteConstraint = 19;
    private const int SqliteMismatch = 20;

    public static bool IsDataError(Exception exception) => exception switch
    {
        // 22: data exception (overflow, invalid text, bad encoding); 23: integrity constraint; 54: a value too large for an index.
        PostgresException postgres => postgres.SqlState.StartsWith("22", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("23", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("54", StringComparison.Ordinal),
        SqliteException sqlite => sqlite.SqliteErrorCode is SqliteConstraint or SqliteMismatch or SqliteTooBig,
        InvalidCastException or ArgumentException or OverflowException => true,
        _ => false,
    };

    /// <summary>What a dead-letter entry says about why its record was refused.</summary>
    public static string Describe(Exception exception) => exception switch
    {
        PostgresException postgres => $"{postgres.SqlState}: {postgres.MessageText}" + (postgres.ColumnName is { } column ? $" (column {column})" : string.Empty),
        SqliteException sqlite => $"SQLite error {sqlite.SqliteErrorCode}: {sqlite.Message}",
        _ => $"{exception.GetType().Name}: {exception.Message}",
    };
}
