using System.Data.Common;
using Odock.Storage.Connections;
using Odock.Storage.Ledger;
using Odock.Storage.Migrations;
using Odock.Storage.Store;
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

    [Fact]
    public async Task The_sink_offers_the_core_to_other_threads_after_every_row_it_writes()
    {
        // On a core shared with requests, a writer at idle priority is not preempted when a request's thread wakes; a
        // batch without these yields held requests back by up to the scheduler's tick (docs/BENCHMARKS.md).
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Sqlite);
        await new MigrationRunner(database.Connections).ApplyAsync();
        var yields = 0;
        using (var sink = new SqliteLedgerSink(database.Connections, () => yields++))
        {
            Assert.Equal(5, sink.Write([.. Enumerable.Range(1, 5).Select(LedgerRecords.Numbered)]));
            Assert.Equal(5, yields);
            Assert.Equal(2, sink.Write([LedgerRecords.Numbered(6), LedgerRecords.Numbered(7)]));
            Assert.Equal(7, yields);
        }

        await using var connection = await database.Connections.OpenAsync();
        Assert.Equal(7L, await ScalarAsync(connection, "SELECT count(*) FROM usage_records"));
    }

    [Fact]
    public async Task The_sink_spells_every_column_exactly_as_the_repositories_do()
    {
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Sqlite);
        await new MigrationRunner(database.Connections).ApplyAsync();
        var full = LedgerRecords.WithHostedToolCalls(1) with
        {
            OccurredAt = new DateTimeOffset(2026, 11, 1, 9, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567),
            TeamId = Guid.Parse("7A1B2C3D-0000-4000-8000-00000000ABCD"),
            UserId = Guid.NewGuid(),
            ModelId = Guid.NewGuid(),
            ProviderId = Guid.NewGuid(),
            Streamed = true,
            ErrorClass = Domain.Usage.UsageErrorClass.Upstream,
            ErrorCode = "upstream_timeout",
            ClientDisconnected = true,
            TokensEstimated = true,
            RoutingAttempts = 2,
            Cost = 0.000_976_400m,
            CostBreakdownJson = """{"input":"0.0001"}""",
            RoutingJson = """{"tried":["a","b"]}""",
        };
        var sparse = LedgerRecords.Numbered(2) with { TimeToFirstTokenMs = null, ProviderUsageJson = null, Cost = 12m };
        using (var sink = new SqliteLedgerSink(database.Connections))
        {
            Assert.Equal(2, sink.Write([full, sparse]));
        }

        var store = new OdockStore(database.Connections);
        await using (var session = await store.OpenAsync())
        {
            await session.Usage.AppendAsync([full with { Id = Guid.NewGuid(), RequestId = "repo_full" }, sparse with { Id = Guid.NewGuid(), RequestId = "repo_sparse" }]);
        }

        await using var connection = await database.Connections.OpenAsync();
        foreach (var (written, repeated) in new[] { (full.RequestId, "repo_full"), (sparse.RequestId, "repo_sparse") })
        {
            foreach (var column in LedgerColumns.Names.Except(["id", "request_id"]))
            {
                var sql = $"SELECT typeof({column}) || ':' || quote({column}) FROM usage_records WHERE request_id = ";
                var bySink = await ScalarAsync(connection, sql + $"'{written}'");
                var byRepository = await ScalarAsync(connection, sql + $"'{repeated}'");
                Assert.True(Equals(byRepository, bySink), $"{column}: sink {bySink}, repository {byRepository}");
            }
        }
    }

    [Fact]
    public async Task Migration_0010_keeps_every_ledger_row_and_index_and_stamps_later_inserts_by_the_column_default()
    {
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Sqlite);
        var catalog = MigrationCatalog.For(StorageEngine.Sqlite);
        await new MigrationRunner(database.Connections, [.. catalog.Where(m => m.Version < 10)]).ApplyAsync();

        // Today's sink and repository write the columns later migrations add, so the table as it stood before 0010 gets
        // them by hand; 0010's rebuild leaves them out and the later migrations add them back with the same defaults.
        await using (var before0010 = await database.Connections.OpenAsync())
        {
            await ScalarAsync(before0010, "ALTER TABLE usage_records ADD COLUMN hosted_tool_calls INTEGER NOT NULL DEFAULT 0");
        }

        using (var sink = new SqliteLedgerSink(database.Connections))
        {
            Assert.Equal(2, sink.Write([LedgerRecords.WithPricedQuantities(1), LedgerRecords.Numbered(2) with { ProviderUsageJson = null }]));
        }

        var store = new OdockStore(database.Connections);
        await using (var session = await store.OpenAsync())
        {
            await session.Usage.AppendAsync([LedgerRecords.Numbered(3)]);
        }

        var before = await RowsAsync(database.Connections);
        var indexesBefore = await ListAsync(database.Connections, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_records' ORDER BY name");

        await new MigrationRunner(database.Connections).ApplyAsync();

        Assert.Equal(3, before.Count);
        Assert.Equal(before, await RowsAsync(database.Connections));
        Assert.Equal(6, indexesBefore.Count);
        Assert.Equal(indexesBefore, await ListAsync(database.Connections, "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_records' ORDER BY name"));
        Assert.Empty(await ListAsync(database.Connections, "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'usage_records'"));

        // With the trigger gone, an insert that names no recorded_at (the repositories') is stamped by the default.
        await using (var session = await store.OpenAsync())
        {
            await session.Usage.AppendAsync([LedgerRecords.Numbered(4)]);
        }

        await using var connection = await database.Connections.OpenAsync();
        var stamped = (string)(await ScalarAsync(connection, $"SELECT recorded_at FROM usage_records WHERE request_id = '{LedgerRecords.RequestId(4)}'"))!;
        var now = (string)(await ScalarAsync(connection, "SELECT " + LedgerFence.SqliteClockSql))!;
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$", stamped);
        Assert.True(string.CompareOrdinal(stamped, now) <= 0, $"stamped {stamped}, clock {now}");
        Assert.True(string.CompareOrdinal(stamped, before.Max(row => row.Split('|')[1])) >= 0, "a later row is stamped no earlier than the rows before it");
    }

    /// <summary>Every ledger row, every column quoted with its storage type, in rowid order; the recorded_at stamp second.</summary>
    private static async Task<List<string>> RowsAsync(IDbConnectionFactory connections)
    {
        var columns = string.Join(" || ',' || ", LedgerColumns.Names.Select(name => $"typeof({name}) || ':' || quote({name})"));
        return await ListAsync(connections, $"SELECT request_id || '|' || recorded_at || '|' || {columns} FROM usage_records ORDER BY rowid");
    }

    private static async Task<List<string>> ListAsync(IDbConnectionFactory connections, string sql)
    {
        await using var connection = await connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
