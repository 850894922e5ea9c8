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
    /// A chat call's plan: the input estimate plus every output token it may ask for, which is its output limit for
    /// each of the answers it asks for (<see cref="ChatRequest.Choices"/>). When it names no limit, each answer gets
    /// the gateway's default, or less so that all of them stay within the key's and the model's
    /// <c>max_tokens_per_request</c>; the provider is then sent that limit. A client that leaves is charged the input,
    /// which was sent.
    /// </summary>
    /// <remarks>
    /// The provider's own tools (<see cref="ChatRequest.HostedTools"/>) that the model prices add the most calls the
    /// request lets the provider make, at the prices in effect at <paramref name="at"/>. A tool left without a bound
    /// counts <see cref="GatewayOptions.DefaultMaxHostedToolCalls"/> calls, and the provider is sent that bound where
    /// its API takes one (<see cref="HostedToolLimit"/>).
    /// </remarks>
    public static CallPlan ForChat(ChatRequest request, KeyGrant grant, CatalogModel model, GatewayOptions options, DateTimeOffset at)
    {
        var choices = request.Choices;
        var perRequest = Math.Min(grant.MaxTokensPerRequest ?? long.MaxValue, model.Policies.MaxTokensPerRequest ?? long.MaxValue);
        var fallback = Math.Max(1, Math.Min(options.DefaultMaxOutputTokens, perRequest / choices));
        var perAnswer = request.MaxOutputTokens ?? fallback;
        var maxOutput = Saturating(perAnswer, choices, 0);
        HostedToolCalls? hostedCalls = null;
        long? hostedLimit = null;
        if (request.HostedTools is { } hosted)
        {
            var prices = model.Pricing.At(at);
            hostedCalls = hosted.WorstCase(prices, options.DefaultMaxHostedToolCalls);
            hostedLimit = hosted.NeedsBound(prices) ? options.DefaultMaxHostedToolCalls : null;
        }

        return new CallPlan(
            new TokenUsage { InputTokens = request.EstimatedInputTokens, OutputTokens = maxOutput, HostedToolCalls = hostedCalls },
            Saturating(maxOutput, 1, request.EstimatedInputTokens),
            new TokenUsage { InputTokens = request.EstimatedInputTokens },
            model.Type)
        {
            OutputLimit = perAnswer,
            HostedToolLimit = hostedLimit,
        };
    }

    /// <summary>
    /// A limit the request names above what its key or its model allows per request, counting every answer it asks
    /// for: 400, naming <paramref name="param"/>.
    /// </summary>
    public static GatewayError? CheckOutputLimit(ChatRequest request, KeyGrant grant, CatalogModel model, string param)
    {
        if (request.MaxOutputTokens is not { } limit)
        {
            return null;
        }

        var asked = Saturating(limit, request.Choices, 0);
        var spelled = request.Choices == 1 ? $"{asked}" : $"{asked} ({limit} for each of {request.Choices} answers)";
        if (grant.MaxTokensPerRequest is { } keyMax && asked > keyMax)
        {
            return GatewayError.BadRequest($"This API key allows at most {keyMax} output tokens per request; the request asks for {spelled}.", param);
        }

        return model.Policies.MaxTokensPerRequest is { } modelMax && asked > modelMax
            ? GatewayError.BadRequest($"The model '{model.Name}' allows at most {modelMax} output tokens per request; the request asks for {spelled}.", param)
            : null;
    }

    /// <summary>
    /// The most output each answer may have: what the call must be sent with so its cost cannot pass the reservation.
    /// The worst case's output for a call of one answer; a chat call that asks for several reserves this many times.
    /// </summary>
    public long OutputLimit { get; init; } = WorstCase.OutputTokens;

    /// <summary>
    /// The bound on the provider's own tool calls to send where the request names none, so the calls cannot pass what
    /// the worst case reserved; null when nothing needs one.
    /// </summary>
    public long? HostedToolLimit { get; init; }

    /// <summary><paramref name="tokens"/> times <paramref name="times"/> plus <paramref name="more"/>, or the largest count there is: a client may name any limit a long holds.</summary>
    private static long Saturating(long tokens, int times, long more) =>
        tokens > (long.MaxValue - more) / times ? long.MaxValue : (tokens * times) + more;
}
