namespace Odock.Domain.Periods;

/// <summary>
/// One occurrence of a period: [<see cref="Start"/>, <see cref="End"/>) in UTC, and a stable <see cref="Key"/>
/// naming it (<c>2026-11-22</c>, <c>2026-W47</c>, <c>2026-11</c>, <c>lifetime</c>) that counters are stored under.
/// </summary>
public readonly record struct PeriodWindow(DateTimeOffset Start, DateTimeOffset? End, string Key)
{
    public bool Contains(DateTimeOffset instant) => instant >= Start && (End is null || instant < End.Value);
}
