namespace Odock.Domain.Periods;

/// <summary>How often a budget or quota starts again.</summary>
public enum PeriodKind
{
    Daily,
    /// <summary>ISO weeks: Monday 00:00 to the next Monday 00:00 in the period's time zone.</summary>
    Weekly,
    Monthly,
    /// <summary>Never resets.</summary>
    Lifetime,
}
