using System.Data.Common;
using Odock.Storage.Connections;

namespace Odock.Storage.Tests.Ledger;

/// <summary>Reads the ledger table directly, as an auditor would, bypassing the code under test.</summary>
internal static class LedgerTable
{
    public static async Task<long> CountAsync(IDbConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM usage_records";
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// PostgreSQL: request ids in request order, each with its row's place in the order rows were written: its
    /// transaction's id, then its place in the table's heap, which a table that is only inserted into fills in order.
    /// Unlike <c>recorded_at</c>, the wall clock, this order cannot run backwards when the machine's clock is corrected.
    /// </summary>
    public static async Task<IReadOnlyList<(string RequestId, string WrittenAt)>> WrittenOrderAsync(IDbConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT request_id,
                   lpad(xmin::text, 12, '0') || '.' || lpad(((ctid::text::point)[0])::bigint::text, 12, '0')
                   || '.' || lpad(((ctid::text::point)[1])::bigint::text, 6, '0')
            FROM usage_records ORDER BY request_id
            """;
        var rows = new List<(string, string)>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
