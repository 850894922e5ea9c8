using Odock.Admin.Configuration.Document;
using Odock.Domain.Users;

namespace Odock.Admin.Configuration;

/// <summary>Finds names declared twice in one list, which the import could not match to one record.</summary>
internal static class DuplicateNames
{
    public static List<string> Find(ConfigDocument document, string file)
    {
        var problems = new List<string>();
        Check(problems, file, "organisations", document.Organisations.Select(o => o.Name), StringComparer.Ordinal);
        foreach (var organisation in document.Organisations)
        {
            var path = $"organisations[{organisation.Name}]";
            Check(problems, file, $"{path}.teams", organisation.Teams.Select(t => t.Name), StringComparer.Ordinal);
            Check(problems, file, $"{path}.users", organisation.Users.Select(u => User.NormaliseEmail(u.Email)), StringComparer.Ordinal);
            Check(problems, file, $"{path}.providers", organisation.Providers.Select(p => p.Name), StringComparer.Ordinal);
            foreach (var provider in organisation.Providers)
            {
                Check(problems, file, $"{path}.providers[{provider.Name}].keys", provider.Keys.Select(k => k.Name), StringComparer.Ordinal);
            }

            Check(problems, file, $"{path}.models", organisation.Models.Select(m => m.Name), StringComparer.Ordinal);
            Check(problems, file, $"{path}.mcp_servers", organisation.McpServers.Select(s => s.Name), StringComparer.Ordinal);
            Check(problems, file, $"{path}.api_keys", organisation.ApiKeys.Select(k => k.Name), StringComparer.Ordinal);
            Check(problems, file, $"{path}.budgets", organisation.Budgets.Select(b => b.Name), StringComparer.Ordinal);
            Check(problems, file, $"{path}.quotas", organisation.Quotas.Select(q => q.Name), StringComparer.Ordinal);
        }

        return problems;
    }

    private static void Check(List<string> problems, string file, string path, IEnumerable<string> names, StringComparer comparer)
    {
        foreach (var name in names.GroupBy(n => n, comparer).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            problems.Add($"{file}: {path}: '{name}' is declared more than once");
        }
    }
}
