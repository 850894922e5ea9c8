using System.Data.Common;
using Odock.Storage.Connections;
using Odock.Storage.Ledger;
using Odock.Storage.Migrations;
using Odock.Testing;

namespace Odock.Storage.Tests.Ledger;

/// <summary>The SQLite ledger sink's own connection settings stay its own once the connection goes back to the pool.</summary>
public sealed class SqliteLedgerSinkTests
{
    [Fact]
    public async Task A_pooled_connection_comes_back_with_temporary_files_on_disk_after_the_ledger_writer_kept_them_in_memory()
    {
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Sqlite);
        await new MigrationRunner(database.Connections).ApplyAsync();
        using (var sink = new SqliteLedgerSink(database.Connections))
        {
            Assert.Equal(3, sink.Write([LedgerRecords.Numbered(1), LedgerRecords.Numbered(2), LedgerRecords.Numbered(3)]));
        }

        // Whichever connection the pool hands out next (the sink's, or one a test left in memory mode), it starts on disk.
        await using (var connection = await database.Connections.OpenAsync())
        {
            await ScalarAsync(connection, "PRAGMA temp_store=MEMORY");
        }

        await using var next = await database.Connections.OpenAsync();
        Assert.Equal(0L, await ScalarAsync(next, "PRAGMA temp_store"));
        Assert.Equal(3L, await ScalarAsync(next, "SELECT count(*) FROM usage_records"));
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
