using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.Gemini;

/// <summary>
/// Reads a Gemini <c>usageMetadata</c> object. The prompt count includes cached content (itemised as cached input)
/// and tool-use prompts are input too; thoughts are counted apart from candidates by Gemini and billed as output, so
/// the ledger's output is candidates plus thoughts, with the thoughts itemised as reasoning.
/// </summary>
internal static class GeminiUsage
{
    public static TokenUsage Read(JsonElement usage)
    {
        var thoughts = Long(usage, "thoughtsTokenCount");
        return new TokenUsage
        {
            InputTokens = Long(usage, "promptTokenCount") + Long(usage, "toolUsePromptTokenCount"),
            CachedInputTokens = Long(usage, "cachedContentTokenCount"),
            OutputTokens = Long(usage, "candidatesTokenCount") + thoughts,
            ReasoningTokens = thoughts,
        };
    }

    /// <summary>
    /// The Google Search queries the answer's candidates ran (<c>groundingMetadata.webSearchQueries</c>), as calls of
    /// <c>google_search</c>: Gemini bills grounding with Google Search per query.
    /// </summary>
    public static long SearchQueries(JsonElement response)
    {
        long queries = 0;
        if (response.ValueKind == JsonValueKind.Object && response.TryGetProperty("candidates", out var candidates) && candidates.ValueKind == JsonValueKind.Array)
        {
            foreach (var candidate in candidates.EnumerateArray())
            {
                if (candidate.ValueKind == JsonValueKind.Object && candidate.TryGetProperty("groundingMetadata", out var grounding) && grounding.ValueKind == JsonValueKind.Object
                    && grounding.TryGetProperty("webSearchQueries", out var list) && list.ValueKind == JsonValueKind.Array)
                {
                    queries += list.GetArrayLength();
                }
            }
        }

        return queries;
    }

    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
