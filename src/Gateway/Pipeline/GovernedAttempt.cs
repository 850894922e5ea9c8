using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// How one governed try at a model ended: refused before anything was sent (stage-2 limits, a reservation), or
/// forwarded with the outcome and its cost at the request's prices.
/// </summary>
internal sealed record GovernedAttempt(ChatOutcome? Outcome, CostBreakdown? Cost, GatewayError? Refusal)
{
    public static GovernedAttempt Refused(GatewayError refusal) => new(null, null, refusal);
}
