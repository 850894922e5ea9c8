using Odock.Domain.Models;
using Odock.Gateway.Chat;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// What governance needs to know about a call before it is sent: the usage of its worst case (reserved against budgets),
/// the tokens counted against token limits and quotas, what a client that goes away before any answer is charged, and
/// the model type whose prices apply.
/// </summary>
internal sealed record CallPlan(TokenUsage WorstCase, long EstimatedTokens, TokenUsage IfClientLeaves, ModelType PricedAs)
{
    /// <summary>
    /// A chat call's plan: the input estimate plus every output token it may ask for (the gateway's default when it
    /// names no limit, which the provider is then sent); a client that leaves is charged the input, which was sent.
    /// </summary>
    public static CallPlan ForChat(ChatRequest request, ModelType pricedAs, long defaultMaxOutputTokens)
    {
        var maxOutput = request.MaxOutputTokens ?? defaultMaxOutputTokens;
        return new CallPlan(
            new TokenUsage { InputTokens = request.EstimatedInputTokens, OutputTokens = maxOutput },
            request.EstimatedInputTokens + maxOutput,
            new TokenUsage { InputTokens = request.EstimatedInputTokens },
            pricedAs);
    }

    /// <summary>The most output the worst case allows: what the call must be sent with so its cost cannot pass the reservation.</summary>
    public long OutputLimit => WorstCase.OutputTokens;
}
