using Npgsql;
using Odock.Storage.Connections;

namespace Odock.Testing;

/// <summary>
/// A fresh, empty PostgreSQL database on the throwaway cluster that scripts/test.sh starts, dropped on dispose.
/// Tests that need PostgreSQL fail (never skip) when that cluster is missing, so a gap cannot hide.
/// </summary>
public sealed class PostgresTestDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;

    private PostgresTestDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    public string ConnectionString { get; }

    /// <summary>The connection string of the server-wide maintenance database.</summary>
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ODOCK_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "ODOCK_TEST_POSTGRES is not set. Run the suite with scripts/test.sh, which starts a throwaway PostgreSQL and sets it.");

    public static async Task<PostgresTestDatabase> CreateAsync(string prefix = "odock_test")
    {
        var admin = ServerConnectionString;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(60, prefix.Length + 33)].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresTestDatabase(admin, name, builder.ConnectionString);
    }

    public PostgresConnectionFactory CreateConnectionFactory() => new(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
