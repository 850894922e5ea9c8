using System.Text.Json.Nodes;

namespace Odock.Gateway.Providers;

/// <summary>
/// A chat call leaves Odock with an output limit no larger than the one its budgets and quotas reserved: the client's
/// own, or, when it named none, <c>Odock:Gateway:DefaultMaxOutputTokens</c>, written into the provider's request in
/// that provider's field. Without it a provider would generate until its own limit (tens of thousands of tokens), and
/// the settled cost could pass the reserved worst case, which is what keeps a budget from being overspent.
/// </summary>
internal static class OutputLimit
{
    /// <summary>Writes <paramref name="limit"/> as <paramref name="field"/> unless the body already names a limit under any of <paramref name="names"/>.</summary>
    public static void Ensure(JsonObject body, long limit, string field, params ReadOnlySpan<string> names)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (body.ContainsKey(field))
        {
            return;
        }

        foreach (var name in names)
        {
            if (body.ContainsKey(name))
            {
                return;
            }
        }

        body[field] = limit;
    }
}
