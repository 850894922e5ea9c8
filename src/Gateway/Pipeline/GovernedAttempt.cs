using Odock.Domain.Models;
using Odock.Gateway.Errors;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// How one governed try at a model ended: refused before anything was sent (stage-2 limits, a reservation), or
/// forwarded with the outcome and its cost at the request's prices; or, for a provisional admission, decided by the key
/// otherwise (<see cref="Readmitted"/>).
/// </summary>
internal sealed record GovernedAttempt(ChatOutcome? Outcome, CostBreakdown? Cost, GatewayError? Refusal)
{
    /// <summary>
    /// The key refused the request at stage 1, or its grant had changed since this gateway remembered it: nothing is
    /// held and nothing was sent. The caller answers the admission's refusal, or resolves again with its grant.
    /// </summary>
    public static readonly GovernedAttempt Readmit = new(null, null, null) { Readmitted = true };

    public bool Readmitted { get; private init; }

    public static GovernedAttempt Refused(GatewayError refusal) => new(null, null, refusal);
}
