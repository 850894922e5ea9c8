using Odock.Domain.Models;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;
using Odock.Grains.ApiKeys;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// What governance needs to know about a call before it is sent: the usage of its worst case (reserved against budgets),
/// the tokens counted against token limits and quotas, what a client that goes away before any answer is charged, and
/// the model type whose prices apply.
/// </summary>
internal sealed record CallPlan(TokenUsage WorstCase, long EstimatedTokens, TokenUsage IfClientLeaves, ModelType PricedAs)
{
    /// <summary>
    /// A chat call's plan: the input estimate plus every output token it may ask for; when it names no limit, the
    /// smallest of the gateway's default and the key's and the model's <c>max_tokens_per_request</c>, which the
    /// provider is then sent. A client that leaves is charged the input, which was sent.
    /// </summary>
    public static CallPlan ForChat(ChatRequest request, KeyGrant grant, CatalogModel model, long defaultMaxOutputTokens)
    {
        var fallback = Math.Min(defaultMaxOutputTokens, Math.Min(grant.MaxTokensPerRequest ?? long.MaxValue, model.Policies.MaxTokensPerRequest ?? long.MaxValue));
        var maxOutput = request.MaxOutputTokens ?? fallback;
        return new CallPlan(
            new TokenUsage { InputTokens = request.EstimatedInputTokens, OutputTokens = maxOutput },
            request.EstimatedInputTokens + maxOutput,
            new TokenUsage { InputTokens = request.EstimatedInputTokens },
            model.Type);
    }

    /// <summary>A limit the request names above what its key or its model allows per request: 400, naming <paramref name="param"/>.</summary>
    public static GatewayError? CheckOutputLimit(ChatRequest request, KeyGrant grant, CatalogModel model, string param)
    {
        if (request.MaxOutputTokens is not { } asked)
        {
            return null;
        }

        if (grant.MaxTokensPerRequest is { } keyMax && asked > keyMax)
        {
            return GatewayError.BadRequest($"This API key allows at most {keyMax} output tokens per request; the request asks for {asked}.", param);
        }

        return model.Policies.MaxTokensPerRequest is { } modelMax && asked > modelMax
            ? GatewayError.BadRequest($"The model '{model.Name}' allows at most {modelMax} output tokens per request; the request asks for {asked}.", param)
            : null;
    }

    /// <summary>The most output the worst case allows: what the call must be sent with so its cost cannot pass the reservation.</summary>
    public long OutputLimit => WorstCase.OutputTokens;
}
