using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// Reads the <c>usage</c> of a Responses API <c>response</c> object: input and output tokens, cached input tokens and
/// reasoning tokens, counted as in chat completions (cached inside input, reasoning inside output).
/// </summary>
internal static class ResponsesUsage
{
    public static bool TryRead(JsonElement response, out TokenUsage usage, out string? raw)
    {
        usage = default;
        raw = null;
        if (response.ValueKind != JsonValueKind.Object || !response.TryGetProperty("usage", out var element) || element.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        raw = element.GetRawText();
        usage = new TokenUsage
        {
            InputTokens = Long(element, "input_tokens"),
            OutputTokens = Long(element, "output_tokens"),
            CachedInputTokens = element.TryGetProperty("input_tokens_details", out var input) ? Long(input, "cached_tokens") : 0,
            ReasoningTokens = element.TryGetProperty("output_tokens_details", out var output) ? Long(output, "reasoning_tokens") : 0,
        };
        return true;
    }

    private static long Long(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
