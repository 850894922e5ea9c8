namespace Odock.Storage.Connections;

/// <summary>The database engines Odock stores its durable state in.</summary>
public enum StorageEngine
{
    /// <summary>Embedded file database: the zero-setup default for a single all-in-one process.</summary>
    Sqlite,

    /// <summary>Required as soon as more than one process shares the state (a cluster).</summary>
    Postgres,
}
