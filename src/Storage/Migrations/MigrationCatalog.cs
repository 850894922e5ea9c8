using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Odock.Storage.Connections;

namespace Odock.Storage.Migrations;

/// <summary>
/// The migrations shipped inside this assembly, per engine, in version order. Scripts live in
/// <c>Migrations/Postgres/NNNN_name.sql</c> and <c>Migrations/Sqlite/NNNN_name.sql</c>. Versions are shared: a change both
/// engines need has the same number in both, and a number only one engine needs (SQLite's 0009 and 0010) is skipped by the other.
/// </summary>
public static class MigrationCatalog
{
    public static IReadOnlyList<Migration> For(StorageEngine engine) => Load(typeof(MigrationCatalog).Assembly, engine);

    internal static IReadOnlyList<Migration> Load(Assembly assembly, StorageEngine engine)
    {
        var prefix = $"{assembly.GetName().Name}.Migrations.{engine}.";
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(prefix, StringComparison.Ordinal) || !resource.EndsWith(".sql", StringComparison.Ordinal))
            {
                continue;
            }

            var fileName = resource[prefix.Length..^".sql".Length];
            migrations.Add(Parse(fileName, ReadResource(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 1; i < migrations.Count; i++)
        {
            if (migrations[i].Version == migrations[i - 1].Version)
            {
                throw new InvalidOperationException($"Two {engine} migrations share version {migrations[i].Version}.");
            }
        }

        return migrations;
    }

    private static Migration Parse(string fileName, string sql)
    {
        // Embedded resource names turn a leading digit into "_", so "0001_core" arrives as "_0001_core".
        var trimmed = fileName.TrimStart('_');
        var separator = trimmed.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || !int.TryParse(trimmed.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration script '{fileName}.sql' must be named NNNN_name.sql.");
        }

        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
        return new Migration(version, trimmed[(separator + 1)..], sql, checksum);
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration '{name}' is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
