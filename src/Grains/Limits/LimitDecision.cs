namespace Odock.Grains.Limits;

/// <summary>Whether a request fits a limit, and if not, how long until it would.</summary>
public readonly record struct LimitDecision(bool Allowed, TimeSpan RetryAfter)
{
    public static LimitDecision Allow => new(true, TimeSpan.Zero);

    public static LimitDecision Deny(TimeSpan retryAfter) => new(false, retryAfter);
}
