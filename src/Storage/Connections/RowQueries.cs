using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Odock.Storage.Connections;

/// <summary>
/// Dapper's <c>QueryAsync</c> and <c>QuerySingleOrDefaultAsync</c> read with <see cref="CommandBehavior.SequentialAccess"/>,
/// where Npgsql leaves a row's columns on the socket and fetches them synchronously when the mapper asks, once a
/// result outgrows its read buffer (256 partition leases do). That is a blocking read on a thread-pool thread: on a
/// process limited to one worker thread it stalled every request until the read timed out (docs/BENCHMARKS.md,
/// "Fourth round"), and on any process it holds a worker while the database answers. These read each row whole,
/// asynchronously, then map it with Dapper's own row parser, so mapping never waits on the network.
/// </summary>
public static class RowQueries
{
    public static async Task<List<T>> QueryRowsAsync<T>(this DbConnection connection, CommandDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = new List<T>();
        await using var reader = (DbDataReader)await connection.ExecuteReaderAsync(definition, CommandBehavior.SingleResult).ConfigureAwait(false);
        var parse = Parser<T>(reader);
        while (await reader.ReadAsync(definition.CancellationToken).ConfigureAwait(false))
        {
            rows.Add(parse(reader));
        }

        return rows;
    }

    /// <summary>Rows one at a time, for results too large to hold (exports); each is still read whole before it is mapped.</summary>
    public static async IAsyncEnumerable<T> StreamRowsAsync<T>(this DbConnection connection, CommandDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var reader = (DbDataReader)await connection.ExecuteReaderAsync(definition, CommandBehavior.SingleResult).ConfigureAwait(false);
        var parse = Parser<T>(reader);
        while (await reader.ReadAsync(definition.CancellationToken).ConfigureAwait(false))
        {
            yield return parse(reader);
        }
    }

    /// <summary>The only row's value, or <c>default</c> when there is none; more than one row is an error, as in Dapper.</summary>
    public static async Task<T?> QuerySingleRowOrDefaultAsync<T>(this DbConnection connection, CommandDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var reader = (DbDataReader)await connection.ExecuteReaderAsync(definition, CommandBehavior.SingleResult).ConfigureAwait(false);
        if (!await reader.ReadAsync(definition.CancellationToken).ConfigureAwait(false))
        {
            return default;
        }

        var value = Parser<T>(reader)(reader);
        if (await reader.ReadAsync(definition.CancellationToken).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The query returned more than one row where at most one was expected.");
        }

        return value;
    }

    /// <summary>
    /// Dapper's parser for <typeparamref name="T"/>, taken untyped: for a single-column row of a scalar such as
    /// <see cref="string"/> Dapper's typed <c>GetRowParser</c> cannot cast its delegate, and a column the engine
    /// returns as a wider type (SQLite's <c>long</c> for an <c>int</c>) needs the same conversion Dapper's queries apply.
    /// </summary>
    private static Func<DbDataReader, T> Parser<T>(DbDataReader reader)
    {
        var parse = reader.GetRowParser<object?>(typeof(T));
        return row => Convert<T>(parse(row));
    }

    private static T Convert<T>(object? value)
    {
        if (value is T typed)
        {
            return typed;
        }

        var type = Nullable.GetUnderlyingType(typeof(T));
        if (value is null or DBNull)
        {
            return !typeof(T).IsValueType || type is not null
                ? default!
                : throw new InvalidCastException($"A null column cannot be read as {typeof(T).Name}.");
        }

        type ??= typeof(T);
        return type.IsEnum
            ? (T)Enum.ToObject(type, value)
            : (T)System.Convert.ChangeType(value, type, CultureInfo.InvariantCulture);
    }
}
