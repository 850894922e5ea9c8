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

    /// <summary>Request ids with when each became durable, by the database clock, in request order.</summary>
    public static async Task<IReadOnlyList<(string RequestId, string RecordedAt)>> RecordedAsync(IDbConnectionFactory connections)
    {
        await using var connection = await connections.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = connections.Engine == StorageEngine.Postgres
            ? "SELECT request_id, to_char(recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') FROM usage_records ORDER BY request_id"
            : "SELECT request_id, recorded_at FROM usage_records ORDER BY request_id";
        var rows = new List<(string, string)>();
        await using DbDataReader reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
