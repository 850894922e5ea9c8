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

    public static TheoryDataEngines Engines => TestDatabase.Engines;
}
