namespace Odock.Storage.Connections;

/// <summary>Chooses the engine from <see cref="StorageOptions"/>.</summary>
public static class DbConnectionFactory
{
    public static IDbConnectionFactory Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Engine == StorageEngine.Postgres
            ? new PostgresConnectionFactory(options.PostgresConnectionString!)
            : new SqliteConnectionFactory(options.SqlitePath);
    }
}
