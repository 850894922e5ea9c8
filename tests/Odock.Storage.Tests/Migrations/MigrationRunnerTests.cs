using System.Data.Common;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Testing;

namespace Odock.Storage.Tests.Migrations;

public sealed class MigrationRunnerTests
{
    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Shipped_migrations_apply_once_and_a_second_run_applies_nothing(StorageEngine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var runner = new MigrationRunner(db.Connections);

        var first = await runner.ApplyAsync();
        var second = await runner.ApplyAsync();

        Assert.Equal(MigrationCatalog.For(engine).Select(m => m.Version), first);
        Assert.NotEmpty(first);
        Assert.Empty(second);
        Assert.True(await runner.IsUpToDateAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_migration_that_fails_halfway_leaves_the_schema_as_the_previous_one_left_it(StorageEngine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        var good = new Migration(1, "good", "CREATE TABLE kept (id INTEGER PRIMARY KEY)", "a");
        var bad = new Migration(2, "bad", "CREATE TABLE half_done (id INTEGER PRIMARY KEY); INSERT INTO no_such_table VALUES (1);", "b");
        var runner = new MigrationRunner(db.Connections, [good, bad]);

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => runner.ApplyAsync());

        Assert.Contains("0002_bad", error.Message, StringComparison.Ordinal);
        Assert.True(await TableExistsAsync(db.Connections, "kept"));
        Assert.False(await TableExistsAsync(db.Connections, "half_done"));
        Assert.False(await new MigrationRunner(db.Connections, [good, bad]).IsUpToDateAsync());
        Assert.True(await new MigrationRunner(db.Connections, [good]).IsUpToDateAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_applied_migration_that_was_edited_afterwards_stops_start_up(StorageEngine engine)
    {
        await using var db = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(db.Connections, [new Migration(1, "one", "CREATE TABLE t1 (id INTEGER PRIMARY KEY)", "original")]).ApplyAsync();

        var edited = new MigrationRunner(db.Connections, [new Migration(1, "one", "CREATE TABLE t1 (id INTEGER PRIMARY KEY, x INTEGER)", "edited")]);

        var error = await Assert.ThrowsAsync<MigrationFailedException>(() => edited.ApplyAsync());
        Assert.Contains("was changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_starters_on_postgres_apply_each_migration_exactly_once()
    {
        await using var db = await TestDatabase.CreateAsync(StorageEngine.Postgres);

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => new MigrationRunner(db.Connections).ApplyAsync()));

        Assert.Equal(MigrationCatalog.For(StorageEngine.Postgres).Count, results.Sum(r => r.Count));
    }

    private static async Task<bool> TableExistsAsync(IDbConnectionFactory connections, string table)
    {
        await using var connection = await connections.OpenAsync();
        await using DbCommand command = connection.CreateCommand();
        command.CommandText = connections.Engine == StorageEngine.Sqlite
            ? $"SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '{table}'"
            : $"SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '{table}'";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
}
