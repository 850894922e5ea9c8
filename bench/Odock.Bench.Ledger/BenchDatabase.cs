using Npgsql;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;

namespace Odock.Bench.Ledger;

/// <summary>A fresh, migrated database on the server the benchmark was pointed at, dropped afterwards.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly string _server;

    private BenchDatabase(string server, string name)
    {
        _server = server;
        Name = name;
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name, CommandTimeout = 0 }.ConnectionString;
        Connections = new PostgresConnectionFactory(ConnectionString);
    }

    public string Name { get; }

    public string ConnectionString { get; }

    public PostgresConnectionFactory Connections { get; }

    public static async Task<BenchDatabase> CreateAsync(string server, string prefix)
    {
        var name = $"{prefix}_{Guid.NewGuid():N}"[..(prefix.Length + 13)];
        await ExecuteAsync(server, $"CREATE DATABASE \"{name}\"");
        var database = new BenchDatabase(server, name);
        await new MigrationRunner(database.Connections).ApplyAsync();
        return database;
    }

    public async Task ExecuteAsync(string sql) => await ExecuteAsync(ConnectionString, sql);

    public async ValueTask DisposeAsync()
    {
        await Connections.DisposeAsync();
        NpgsqlConnection.ClearAllPools();
        await ExecuteAsync(_server, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
