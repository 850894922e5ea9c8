using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>Reads an OpenAI <c>usage</c> object: prompt and completion tokens, cached prompt tokens, reasoning tokens.</summary>
internal static class OpenAiUsage
{
    public static bool TryRead(JsonElement root, out TokenUsage usage, out string? raw)
    {
        usage = default;
        raw = null;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("usage", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        raw = element.GetRawText();
        usage = new TokenUsage
        {
            InputTokens = Long(element, "prompt_tokens"),
            OutputTokens = Long(element, "completion_tokens"),
            CachedInputTokens = element.TryGetProperty("prompt_tokens_details", out var prompt) ? Long(prompt, "cached_tokens") : 0,
            ReasoningTokens = element.TryGetProperty("completion_tokens_details", out var completion) ? Long(completion, "reasoning_tokens") : 0,
        };
        return true;
    }

    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
