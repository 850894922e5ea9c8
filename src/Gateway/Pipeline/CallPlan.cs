using Odock.Domain.Models;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// What governance needs to know about a call before it is sent: the usage of its worst case (reserved against budgets),
/// the tokens counted against token limits and quotas, what a client that goes away before any answer is charged, and
/// the model type whose prices apply.
/// </summary>
internal sealed record CallPlan(TokenUsage WorstCase, long EstimatedTokens, TokenUsage IfClientLeaves, ModelType PricedAs);
