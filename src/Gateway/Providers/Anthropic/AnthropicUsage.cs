using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.Anthropic;

/// <summary>
/// Reads an Anthropic <c>usage</c> object. Anthropic reports cache reads and cache writes apart from
/// <c>input_tokens</c>; the ledger counts all three as input, with cached and cache-write tokens itemised.
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
        };
    }

    private static long Long(JsonElement element, string name, long missing) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : missing;
}
