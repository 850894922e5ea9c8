using System.Text.Json;
using Odock.Domain.Models;
using Odock.Gateway.Operations;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// Reads what an OpenAI-format answer to a non-chat call used: embeddings report <c>usage.prompt_tokens</c>; image
/// generation is the number of images returned, plus <c>usage.input_tokens</c> and <c>output_tokens</c> when the
/// model reports them (gpt-image models do); vLLM's rerank reports <c>usage.total_tokens</c>. Tokenize and detokenize
/// use nothing chargeable.
/// </summary>
internal static class OperationUsage
{
    /// <returns>False when the answer carried no usage and the request's estimate stands in.</returns>
    public static bool TryRead(UpstreamOperation operation, JsonElement answer, OperationRequest request, out TokenUsage usage, out string? raw)
    {
        var element = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("usage", out var found) && found.ValueKind == JsonValueKind.Object ? found : default;
        var reported = element.ValueKind == JsonValueKind.Object;
        raw = reported ? element.GetRawText() : null;
        switch (operation)
        {
            case UpstreamOperation.Embeddings:
                usage = new TokenUsage { InputTokens = reported ? Long(element, "prompt_tokens") : request.EstimatedInputTokens };
                return reported;
            case UpstreamOperation.ImageGenerations:
                var images = answer.ValueKind == JsonValueKind.Object && answer.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Array ? data.GetArrayLength() : 0;
                usage = new TokenUsage
                {
                    Images = images,
                    InputTokens = reported ? Long(element, "input_tokens") : 0,
                    OutputTokens = reported ? Long(element, "output_tokens") : 0,
                };

                // The images are the count that matters; they are always in the answer.
                return true;
            case UpstreamOperation.Rerank:
                usage = new TokenUsage { InputTokens = reported ? Long(element, "total_tokens") : request.EstimatedInputTokens };
                return reported;
            default:
                usage = default;
                return true;
        }
    }

    private static long Long(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number) ? number : 0;
}
