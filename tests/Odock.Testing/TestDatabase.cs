using Odock.Storage.Connections;

namespace Odock.Testing;

/// <summary>An empty database on either engine, so one test body runs against SQLite and PostgreSQL alike.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly SqliteTestDatabase? _sqlite;
    private readonly PostgresTestDatabase? _postgres;
    private readonly PostgresConnectionFactory? _postgresFactory;

    private TestDatabase(IDbConnectionFactory connections, SqliteTestDatabase? sqlite, PostgresTestDatabase? postgres, PostgresConnectionFactory? postgresFactory)
    {
        Connections = connections;
        _sqlite = sqlite;
        _postgres = postgres;
        _postgresFactory = postgresFactory;
    }

    public IDbConnectionFactory Connections { get; }

    public StorageEngine Engine => Connections.Engine;

    /// <summary>The xunit theory data every both-engine test uses.</summary>
    public static TheoryDataEngines Engines => new();

    public static async Task<TestDatabase> CreateAsync(StorageEngine engine)
    {
        if (engine == StorageEngine.Sqlite)
        {
            var sqlite = new SqliteTestDatabase();
            return new TestDatabase(sqlite.CreateConnectionFactory(), sqlite, null, null);
        }

        var postgres = await PostgresTestDatabase.CreateAsync();
        var factory = postgres.CreateConnectionFactory();
        return new TestDatabase(factory, null, postgres, factory);
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgresFactory is not null)
        {
            await _postgresFactory.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        _sqlite?.Dispose();
    }
}

/// <summary>Both storage engines as theory data.</summary>
public sealed class TheoryDataEngines : List<object[]>
{
    public TheoryDataEngines()
    {
        Add([StorageEngine.Sqlite]);
        Add([StorageEngine.Postgres]);
    }
}
