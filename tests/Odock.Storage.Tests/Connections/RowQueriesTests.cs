using Dapper;
using Odock.Storage.Connections;
using Odock.Testing;

namespace Odock.Storage.Tests.Connections;

/// <summary>Rows read whole, then mapped: the same values Dapper's QueryAsync gives, for results far past a read buffer.</summary>
public sealed class RowQueriesTests
{
    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Maps_tuples_past_a_read_buffer_exactly_as_dapper_does(StorageEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var connection = await database.Connections.OpenAsync();
        var sql = engine == StorageEngine.Postgres
            ? "SELECT g AS n, repeat('x', 200) || g::text AS label, g::bigint * 1000000000 AS big FROM generate_series(1, 2000) g ORDER BY g"
            : "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 2000) SELECT g AS n, printf('%.200c', 'x') || g AS label, g * 1000000000 AS big FROM s ORDER BY g";

        var rows = await connection.QueryRowsAsync<(int N, string Label, long Big)>(new CommandDefinition(sql));
        var expected = (await connection.QueryAsync<(int N, string Label, long Big)>(sql)).ToList();

        Assert.Equal(2000, rows.Count);
        Assert.Equal(expected, rows);
        Assert.Equal((2000, new string('x', 200) + "2000", 2_000_000_000_000L), rows[^1]);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Maps_single_column_scalars_as_dapper_does(StorageEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var connection = await database.Connections.OpenAsync();
        var series = engine == StorageEngine.Postgres
            ? "SELECT g FROM generate_series(1, 3) g"
            : "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 3) SELECT g FROM s";

        var labels = await connection.QueryRowsAsync<string>(new CommandDefinition($"SELECT 'key-' || g FROM ({series}) t ORDER BY g"));
        var numbers = await connection.QueryRowsAsync<int>(new CommandDefinition($"SELECT g FROM ({series}) t ORDER BY g"));
        var optional = await connection.QueryRowsAsync<long?>(new CommandDefinition($"SELECT CASE WHEN g = 2 THEN NULL ELSE g END AS v FROM ({series}) t ORDER BY g"));
        var days = await connection.QueryRowsAsync<DayOfWeek>(new CommandDefinition($"SELECT g FROM ({series}) t ORDER BY g"));

        Assert.Equal(["key-1", "key-2", "key-3"], labels);
        Assert.Equal([1, 2, 3], numbers);
        Assert.Equal([1L, null, 3L], optional);
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday], days);
        Assert.Equal((await connection.QueryAsync<string>($"SELECT 'key-' || g FROM ({series}) t ORDER BY g")).ToList(), labels);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Reads_at_most_one_row_whole(StorageEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var connection = await database.Connections.OpenAsync();
        var big = engine == StorageEngine.Postgres ? "repeat('y', 50000)" : "printf('%.50000c', 'y')";

        var one = await connection.QuerySingleRowOrDefaultAsync<(string Text, int Length)>(new CommandDefinition($"SELECT {big}, 50000"));
        var none = await connection.QuerySingleRowOrDefaultAsync<string>(new CommandDefinition("SELECT 'x' WHERE 1 = 0"));
        var missingNumber = await connection.QuerySingleRowOrDefaultAsync<int>(new CommandDefinition("SELECT 7 WHERE 1 = 0"));

        Assert.Equal((new string('y', 50000), 50000), one);
        Assert.Null(none);
        Assert.Equal(0, missingNumber);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            connection.QuerySingleRowOrDefaultAsync<int>(new CommandDefinition("SELECT 1 UNION ALL SELECT 2")));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Streams_rows_in_order(StorageEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await using var connection = await database.Connections.OpenAsync();
        var sql = engine == StorageEngine.Postgres
            ? "SELECT g AS n, repeat('z', 300) AS label FROM generate_series(1, 500) g ORDER BY g"
            : "WITH RECURSIVE s(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM s WHERE g < 500) SELECT g AS n, printf('%.300c', 'z') AS label FROM s ORDER BY g";

        var seen = new List<int>();
        await foreach (var (n, label) in connection.StreamRowsAsync<(int N, string Label)>(new CommandDefinition(sql)))
        {
            Assert.Equal(300, label.Length);
            seen.Add(n);
        }

        Assert.Equal(Enumerable.Range(1, 500), seen);
    }

    public static TheoryDataEngines Engines => TestDatabase.Engines;
}
