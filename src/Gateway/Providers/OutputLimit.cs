using System.Text.Json.Nodes;

namespace Odock.Gateway.Providers;

/// <summary>
/// A chat call leaves Odock with an output limit no larger than the one its budgets and quotas reserved: the client's
/// own, or, when it named none, <c>Odock:Gateway:DefaultMaxOutputTokens</c>, written into the provider's request in
/// that provider's field. Without it a provider would generate until its own limit (tens of thousands of tokens), and
/// the settled cost could pass the reserved worst case, which is what keeps a budget from being overspent. OpenAI-format
/// providers apply the same rule as they copy the body (<see cref="OpenAi.OpenAiUpstreamBody"/>).
/// </summary>
internal static class OutputLimit
{
    /// <summary>
    /// Holds every limit the body names under <paramref name="names"/> (and <paramref name="field"/>) to
    /// <paramref name="limit"/>: a higher one is lowered and a null one, which is no limit, removed. When none is left,
    /// writes <paramref name="limit"/> as <paramref name="field"/>.
    /// </summary>
    public static void Ensure(JsonObject body, long limit, string field, params ReadOnlySpan<string> names)
    {
        ArgumentNullException.ThrowIfNull(body);
        var named = Hold(body, field, limit);
        foreach (var name in names)
        {
            named |= name != field && Hold(body, name, limit);
        }

        if (!named)
        {
            body[field] = limit;
        }
    }

    /// <summary>True when the body names a limit as <paramref name="name"/>, now no higher than <paramref name="limit"/>.</summary>
    private static bool Hold(JsonObject body, string name, long limit)
    {
        if (!body.TryGetPropertyValue(name, out var value))
        {
            return false;
        }

        if (value is null)
        {
            body.Remove(name);
            return false;
        }

        if (value is JsonValue number && number.TryGetValue<long>(out var asked) && asked > limit)
        {
            body[name] = limit;
        }

        return true;
    }
}
