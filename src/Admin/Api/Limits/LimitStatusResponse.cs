using Odock.Grains.Budgets;

namespace Odock.Admin.Api.Limits;

/// <summary>
/// A budget's or quota's figures now, as its grain holds them: what the current window allows, what was settled in it,
/// what open reservations hold, what is left for new ones, and what was charged past the limit (a provider count above
/// the estimate; see docs/GOVERNANCE.md). Amounts are in the budget's currency, or the quota's unit.
/// </summary>
internal sealed record LimitStatusResponse(
    Guid Id, bool Enforced, decimal Limit, decimal Settled, decimal Reserved, int OpenReservations, decimal Remaining, decimal Overspend,
    string Window, DateTimeOffset WindowStart, DateTimeOffset? WindowEnd)
{
    public static LimitStatusResponse Of(Guid id, LimitStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new LimitStatusResponse(
            id, status.Enforced, status.Limit, status.Settled, status.Open, status.OpenCount, Math.Max(0m, status.Limit - status.Settled - status.Open),
            status.Overspend, status.Window, status.WindowStart, status.WindowEnd);
    }
}
