using Odock.Storage.Connections;
using Odock.Storage.Sql;

namespace Odock.Storage.Store;

/// <summary>Opens sessions on the configured engine; the same repositories run on SQLite and PostgreSQL.</summary>
public sealed class OdockStore : IOdockStore
{
    private readonly IDbConnectionFactory _connections;

    public OdockStore(IDbConnectionFactory connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        SqlTypeHandlers.EnsureRegistered();
        _connections = connections;
    }

    public Task<IStoreSession> OpenAsync(CancellationToken cancellationToken = default) => StartAsync(transactional: false, cancellationToken);

    public Task<IStoreSession> BeginTransactionAsync(CancellationToken cancellationToken = default) => StartAsync(transactional: true, cancellationToken);

    private async Task<IStoreSession> StartAsync(bool transactional, CancellationToken cancellationToken)
    {
        var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = transactional ? await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false) : null;
            return new StoreSession(new SqlSession(connection, transaction, _connections.Engine));
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
