using System.Data.Common;
using Dapper;
using Odock.Storage.Connections;
using Odock.Testing;

namespace Odock.Storage.Tests.Connections;

/// <summary>Rows read whole, then mapped: the same values Dapper's queries give, for results far past a read buffer.</summary>
public sealed class RowQueriesTests
{
    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public Task Maps_tuples_past_a_read_buffer_exactly_as_dapper_does(StorageEngine engine) => WithConnectionAsync(engine, async connection =>
    {
        var sql = $"SELECT g AS n, {Repeat(engine, 'x', 200)} || g AS label, g * 1000000000 AS big FROM {Series(engine, 2000)} ORDER BY g";

        var rows = await connection.QueryRowsAsync<(int N, string Label, long Big)>(new CommandDefinition(sql));
        var expected = (await connection.QueryAsync<(int N, string Label, long Big)>(sql)).ToList();

        Assert.Equal(2000, rows.Count);
        Assert.Equal(expected, rows);
        Assert.Equal((2000, new string('x', 200) + "2000", 2_000_000_000_000L), rows[^1]);
    });

    [Theory]
    [MemberData(nameof(Engines))]
    public Task Maps_single_column_scalars_as_dapper_does(StorageEngine engine) => WithConnectionAsync(engine, async connection =>
    {
        var labels = await connection.QueryRowsAsync<string>(new CommandDefinition($"SELECT 'key-' || g FROM {Series(engine, 3)} ORDER BY g"));
        var numbers = await connection.QueryRowsAsync<int>(new CommandDefinition($"SELECT g FROM {Series(engine, 3)} ORDER BY g"));
        var optional = await connection.QueryRowsAsync<long?>(new CommandDefinition($"SELECT CASE WHEN g = 2 THEN NULL ELSE g END AS v FROM {Series(engine, 3)} ORDER BY g"));
        var days = await connection.QueryRowsAsync<DayOfWeek>(new CommandDefinition($"SELECT g FROM {Series(engine, 3)} ORDER BY g"));

        Assert.Equal(["key-1", "key-2", "key-3"], labels);
        Assert.Equal([1, 2, 3], numbers);
        Assert.Equal([1L, null, 3L], optional);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday], days);
        Assert.Equal((await connection.QueryAsync<string>($"SELECT 'key-' || g FROM {Series(engine, 3)} ORDER BY g")).ToList(), labels);
    });

    [Theory]
    [MemberData(nameof(Engines))]
    public Task Reads_at_most_one_row_whole(StorageEngine engine) => WithConnectionAsync(engine, async connection =>
    {
        var one = await connection.QuerySingleRowOrDefaultAsync<(string Text, int Length)>(new CommandDefinition($"SELECT {Repeat(engine, 'y', 50000)}, 50000"));
        var none = await connection.QuerySingleRowOrDefaultAsync<string>(new CommandDefinition("SELECT 'x' WHERE 1 = 0"));
        var missingNumber = await connection.QuerySingleRowOrDefaultAsync<int>(new CommandDefinition("SELECT 7 WHERE 1 = 0"));

        Assert.Equal((new string('y', 50000), 50000), one);
        Assert.Null(none);
        Assert.Equal(0, missingNumber);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            connection.QuerySingleRowOrDefaultAsync<int>(new CommandDefinition("SELECT 1 UNION ALL SELECT 2")));
    });

    [Theory]
    [MemberData(nameof(Engines))]
    public Task Streams_rows_in_order(StorageEngine engine) => WithConnectionAsync(engine, async connection =>
    {
        var seen = new List<int>();
        var sql = $"SELECT g AS n, {Repeat(engine, 'z', 300)} AS label FROM {Series(engine, 500)} ORDER BY g";
        await foreach (var (n, label) in connection.StreamRowsAsync<(int N, string Label)>(new CommandDefinition(sql)))
        {
            Assert.Equal(300, label.Length);
            seen.Add(n);
        }

        Assert.Equal(Enumerable.Range(1, 500), seen);
    });

    private static async Task WithConnectionAsync(StorageEngine engine, Func<DbConnection, Task> test)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var connection = await database.Connections.OpenAsync();
        await test(connection);
    }

    /// <summary>A derived table of one bigint column <c>g</c> from 1 to <paramref name="count"/>.</summary>
    private static string Series(StorageEngine engine, int count) => engine == StorageEngine.Postgres
        ? $"generate_series(1::bigint, {count}) g"
        : $"(WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < {count}) SELECT g FROM s) t";

    private static string Repeat(StorageEngine engine, char character, int count) => engine == StorageEngine.Postgres
        ? $"repeat('{character}', {count})"
        : $"printf('%.{count}c', '{character}')";
}
