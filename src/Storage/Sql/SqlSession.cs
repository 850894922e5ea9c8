using System.Data.Common;
using Dapper;
using Odock.Storage.Connections;
using Odock.Storage.Errors;

namespace Odock.Storage.Sql;

/// <summary>One open connection, optionally inside a transaction, shared by the repositories of one store session.</summary>
internal sealed class SqlSession
{
    public SqlSession(DbConnection connection, DbTransaction? transaction, StorageEngine engine)
    {
        Connection = connection;
        Transaction = transaction;
        Engine = engine;
    }

    public DbConnection Connection { get; }

    public DbTransaction? Transaction { get; set; }

    public StorageEngine Engine { get; }

    /// <summary>Every row, each read whole before it is mapped (<see cref="RowQueries"/>).</summary>
    public async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, object? arguments, CancellationToken cancellationToken) =>
        await Connection.QueryRowsAsync<T>(Command(sql, arguments, cancellationToken)).ConfigureAwait(false);

    public Task<T?> QuerySingleOrDefaultAsync<T>(string sql, object? arguments, CancellationToken cancellationToken) =>
        Connection.QuerySingleRowOrDefaultAsync<T>(Command(sql, arguments, cancellationToken));

    public Task<T> ScalarAsync<T>(string sql, object? arguments, CancellationToken cancellationToken) =>
        Connection.ExecuteScalarAsync<T>(Command(sql, arguments, cancellationToken))!;

    /// <summary>Runs a write, turning constraint violations into <see cref="StorageConflictException"/>s that name <paramref name="entity"/>.</summary>
    public async Task<int> ExecuteAsync(string sql, object? arguments, string entity, CancellationToken cancellationToken)
    {
        try
        {
            return await Connection.ExecuteAsync(Command(sql, arguments, cancellationToken)).ConfigureAwait(false);
        }
        catch (DbException ex) when (StorageErrors.Translate(ex, entity) is { } conflict)
        {
            throw conflict;
        }
    }

    private CommandDefinition Command(string sql, object? arguments, CancellationToken cancellationToken) =>
        new(sql, arguments, Transaction, cancellationToken: cancellationToken);
}
