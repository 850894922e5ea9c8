using System.Reflection;
using Odock.Domain.Common;

namespace Odock.Storage.Sql;

/// <summary>
/// The SQL for a table whose columns are the snake_case names of a row type's properties, built once per row type.
/// Parameters keep the property names (<c>@OrganisationId</c>), which both drivers bind from Dapper's argument object.
/// </summary>
internal sealed class TableMap<TRow>
{
    public TableMap(string table)
    {
        Table = table;
        var properties = typeof(TRow).GetProperties(BindingFlags.Public | BindingFlags.Instance).Select(p => p.Name).ToArray();
        var columns = properties.Select(WireName.ToSnakeCase).ToArray();
        Columns = string.Join(", ", columns);
        Insert = $"INSERT INTO {table} ({Columns}) VALUES ({string.Join(", ", properties.Select(p => "@" + p))})";
        Update = $"UPDATE {table} SET {string.Join(", ", properties.Zip(columns).Where(p => p.Second is not ("id" or "created_at")).Select(p => $"{p.Second} = @{p.First}"))} WHERE id = @Id";
        Select = $"SELECT {Columns} FROM {table}";
    }

    public string Table { get; }

    public string Columns { get; }

    public string Insert { get; }

    public string Update { get; }

    public string Select { get; }
}
