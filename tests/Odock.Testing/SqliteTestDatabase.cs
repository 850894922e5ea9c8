using Odock.Storage.Connections;

namespace Odock.Testing;

/// <summary>A SQLite database file in a fresh temporary directory, deleted on dispose.</summary>
public sealed class SqliteTestDatabase : IDisposable
{
    private readonly string _directory;

    public SqliteTestDatabase()
    {
        _directory = Path.Combine(Path.GetTempPath(), "odock-sqlite-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
        FilePath = Path.Combine(_directory, "odock.db");
    }

    public string FilePath { get; }

    public SqliteConnectionFactory CreateConnectionFactory() => new(FilePath);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a finaliser; the temp directory is cleaned by the OS.
        }
    }
}
