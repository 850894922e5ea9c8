namespace Odock.Grains.Budgets;

/// <summary>A budget's or quota's figures right now, for dashboards and tests.</summary>
public sealed record LimitStatus(
    string Name,
    bool Enforced,
    decimal Limit,
    decimal Settled,
    decimal Open,
    int OpenCount,
    decimal Overspend,
    string Window,
    DateTimeOffset WindowStart,
    DateTimeOffset? WindowEnd);
