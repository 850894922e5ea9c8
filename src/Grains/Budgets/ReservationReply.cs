namespace Odock.Grains.Budgets;

/// <summary>
/// What a budget or quota grain did. <see cref="Enforced"/> is false for a limit that is disabled or no longer
/// exists (nothing is held; the request is not limited by it). <see cref="Limit"/> names it for refusals, and
/// <see cref="RetryAfterMs"/> is the time until the next period when a refusal could succeed by waiting (0 for lifetime).
/// </summary>
public sealed record ReservationReply(ReservationOutcome Outcome, decimal Amount, decimal Remaining, bool Repeated, bool Enforced, string Limit, long RetryAfterMs)
{
    public bool Held => Outcome == ReservationOutcome.Reserved;
}
