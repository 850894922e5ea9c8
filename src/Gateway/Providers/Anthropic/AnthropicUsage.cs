using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.Anthropic;

/// <summary>
/// Reads an Anthropic <c>usage</c> object. Anthropic reports cache reads and cache writes apart from
/// <c>input_tokens</c>; the ledger counts all three as input, with cached and cache-write tokens itemised. Server tool
/// calls (<c>server_tool_use</c>) are counted by tool.
/// </summary>
internal static class AnthropicUsage
{
    public static TokenUsage Read(JsonElement usage, TokenUsage previous = default)
    {
        var input = Long(usage, "input_tokens", -1);
        var read = Long(usage, "cache_read_input_tokens", -1);
        var write = Long(usage, "cache_creation_input_tokens", -1);
        var output = Long(usage, "output_tokens", -1);
        var cached = read >= 0 ? read : previous.CachedInputTokens;
        var cacheWrite = write >= 0 ? write : previous.CacheWriteTokens;
        return new TokenUsage
        {
            InputTokens = input >= 0 ? input + cached + cacheWrite : previous.InputTokens,
            CachedInputTokens = cached,
            CacheWriteTokens = cacheWrite,
            OutputTokens = output >= 0 ? output : previous.OutputTokens,
            HostedToolCalls = usage.ValueKind == JsonValueKind.Object && usage.TryGetProperty("server_tool_use", out var tools) ? ServerToolCalls(tools) : previous.HostedToolCalls,
        };
    }

    /// <summary>
    /// The calls of Anthropic's server tools, from <c>server_tool_use</c>: <c>web_search_requests</c> counts calls of
    /// <c>web_search</c>, <c>web_fetch_requests</c> of <c>web_fetch</c>, and any other <c>…_requests</c> likewise.
    /// </summary>
    private static HostedToolCalls? ServerToolCalls(JsonElement tools)
    {
        if (tools.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        List<KeyValuePair<string, long>>? calls = null;
        foreach (var field in tools.EnumerateObject())
        {
            if (field.Name.EndsWith("_requests", StringComparison.Ordinal) && field.Name.Length > 9 && field.Value.ValueKind == JsonValueKind.Number && field.Value.TryGetInt64(out var count))
            {
                (calls ??= []).Add(new(field.Name[..^9], count));
            }
        }

        return calls is null ? null : HostedToolCalls.Of(calls);
    }

    private static long Long(JsonElement element, string name, long missing) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : missing;
}
