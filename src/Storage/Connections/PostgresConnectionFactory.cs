using System.Data.Common;
using Npgsql;

namespace Odock.Storage.Connections;

/// <summary>PostgreSQL connections from one shared <see cref="NpgsqlDataSource"/> (pooled, prepared-statement aware).</summary>
public sealed class PostgresConnectionFactory : IDbConnectionFactory, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresConnectionFactory(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public StorageEngine Engine => StorageEngine.Postgres;

    public NpgsqlDataSource DataSource => _dataSource;

    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
