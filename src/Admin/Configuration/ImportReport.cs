namespace Odock.Admin.Configuration;

/// <summary>
/// What an import changed, by kind (<c>model</c>: 2 created, 1 updated, 3 unchanged), and the API key secrets Odock
/// generated for keys declared without one: shown once, never stored in clear.
/// </summary>
public sealed class ImportReport
{
    private readonly SortedDictionary<string, ImportCounts> _counts = new(StringComparer.Ordinal);
    private readonly List<GeneratedKey> _generatedKeys = [];

    public IReadOnlyDictionary<string, ImportCounts> Counts => _counts;

    public IReadOnlyList<GeneratedKey> GeneratedKeys => _generatedKeys;

    public int Changes => _counts.Values.Sum(c => c.Created + c.Updated);

    internal void Count(string kind, ImportChange change)
    {
        _counts.TryGetValue(kind, out var counts);
        _counts[kind] = change switch
        {
            ImportChange.Created => counts with { Created = counts.Created + 1 },
            ImportChange.Updated => counts with { Updated = counts.Updated + 1 },
            _ => counts with { Unchanged = counts.Unchanged + 1 },
        };
    }

    internal void AddGeneratedKey(string organisation, string name, string secret) => _generatedKeys.Add(new GeneratedKey(organisation, name, secret));

    public override string ToString() => string.Join(", ", _counts.Select(p => $"{p.Key}: {p.Value.Created} created, {p.Value.Updated} updated, {p.Value.Unchanged} unchanged"));
}

public readonly record struct ImportCounts(int Created, int Updated, int Unchanged);

public sealed record GeneratedKey(string Organisation, string Name, string Secret);

internal enum ImportChange
{
    Created,
    Updated,
    Unchanged,
}
