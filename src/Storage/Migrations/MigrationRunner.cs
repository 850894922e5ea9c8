using System.Data.Common;
using Odock.Storage.Connections;

namespace Odock.Storage.Migrations;

/// <summary>
/// Applies pending migrations at start-up. Each migration runs in its own transaction together with the row that
/// records it, so a failure leaves the schema exactly as the previous migration left it. On PostgreSQL an advisory
/// lock serialises concurrent starters (several silos booting at once); on SQLite a write transaction does.
/// </summary>
public sealed class MigrationRunner
{
    // Arbitrary but fixed: the advisory lock key every Odock process agrees on for migrations.
    private const long PostgresMigrationLockKey = 0x0D0C_4D16;

    private readonly IDbConnectionFactory _connections;
    private readonly IReadOnlyList<Migration> _migrations;

    public MigrationRunner(IDbConnectionFactory connections)
        : this(connections, MigrationCatalog.For(connections.Engine))
    {
    }

    public MigrationRunner(IDbConnectionFactory connections, IReadOnlyList<Migration> migrations)
    {
        ArgumentNullException.ThrowIfNull(connections);
        ArgumentNullException.ThrowIfNull(migrations);
        _connections = connections;
        _migrations = migrations;
    }

    /// <summary>Applies what is pending and returns the versions it applied.</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (_connections.Engine == StorageEngine.Postgres)
        {
            // Taken before the history table is created: concurrent CREATE TABLE IF NOT EXISTS races on PostgreSQL.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({PostgresMigrationLockKey})", cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await ExecuteAsync(connection, null, HistoryTableSql, cancellationToken).ConfigureAwait(false);
            var applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
            var done = new List<int>();
            foreach (var migration in _migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (!string.Equals(checksum, migration.Checksum, StringComparison.Ordinal))
                    {
                        throw new MigrationFailedException(
                            $"Migration {migration.Version:D4}_{migration.Name} was changed after it was applied (checksum {checksum} in the database, {migration.Checksum} in this build). Add a new migration instead of editing an applied one.");
                    }

                    continue;
                }

                await ApplyOneAsync(connection, migration, cancellationToken).ConfigureAwait(false);
                done.Add(migration.Version);
            }

            return done;
        }
        finally
        {
            if (_connections.Engine == StorageEngine.Postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({PostgresMigrationLockKey})", CancellationToken.None).ConfigureAwait(false);
            }
        }
    }

    /// <summary>True when every shipped migration is recorded as applied (what <c>/readyz</c> checks).</summary>
    public async Task<bool> IsUpToDateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        Dictionary<int, string> applied;
        try
        {
            applied = await ReadAppliedAsync(connection, cancellationToken).ConfigureAwait(false);
        }
        catch (DbException)
        {
            return false;
        }

        return _migrations.All(m => applied.ContainsKey(m.Version));
    }

    private const string HistoryTableSql =
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)";

    private async Task ApplyOneAsync(DbConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken).ConfigureAwait(false);
            await using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@version, @name, @checksum, @appliedAt)";
            AddParameter(record, "version", migration.Version);
            AddParameter(record, "name", migration.Name);
            AddParameter(record, "checksum", migration.Checksum);
            AddParameter(record, "appliedAt", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new MigrationFailedException(
                $"Migration {migration.Version:D4}_{migration.Name} ({_connections.Engine}) failed and was rolled back; the database is as it was before it: {ex.Message}",
                ex);
        }
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version, checksum FROM schema_migrations";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var applied = new Dictionary<int, string>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            applied[Convert.ToInt32(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.CommandTimeout = 300;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
