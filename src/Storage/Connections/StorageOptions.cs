namespace Odock.Storage.Connections;

/// <summary>Where Odock keeps its durable state. Bound from the <c>Odock:Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Odock:Storage";

    /// <summary>A PostgreSQL connection string. When set, PostgreSQL is used and <see cref="SqlitePath"/> is ignored.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The SQLite database file used when no PostgreSQL connection string is given.</summary>
    public string SqlitePath { get; set; } = "data/odock.db";

    public StorageEngine Engine =>
        string.IsNullOrWhiteSpace(PostgresConnectionString) ? StorageEngine.Sqlite : StorageEngine.Postgres;
}
