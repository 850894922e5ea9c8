using System.Data;
using System.Data.Common;
using Dapper;

namespace Odock.Storage.Connections;

/// <summary>
/// Dapper's <c>QueryAsync</c> reads with <see cref="CommandBehavior.SequentialAccess"/>, where Npgsql leaves a row's
/// columns on the socket and fetches them synchronously when the mapper asks, once a result outgrows its read buffer
/// (256 partition leases do). That is a blocking read on a thread-pool thread: on a process limited to one worker
/// thread it stalled every request until the read timed out (docs/BENCHMARKS.md, "Fourth round"), and on any
/// process it holds a worker while the database answers. This reads each row whole, asynchronously, then maps it
/// with Dapper's own row parser, so mapping never waits on the network.
/// </summary>
public static class RowQueries
{
    public static async Task<List<T>> QueryRowsAsync<T>(this DbConnection connection, CommandDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var rows = new List<T>();
        await using var reader = (DbDataReader)await connection.ExecuteReaderAsync(definition, CommandBehavior.SingleResult).ConfigureAwait(false);
        var parse = reader.GetRowParser<T>();
        while (await reader.ReadAsync(definition.CancellationToken).ConfigureAwait(false))
        {
            rows.Add(parse(reader));
        }

        return rows;
    }
}
