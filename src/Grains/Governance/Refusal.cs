namespace Odock.Grains.Governance;

/// <summary>
/// A refusal the client can act on: the reason, the limit that refused (<c>requests_per_minute</c>,
/// <c>budget:team-monthly</c>), a sentence for people, and when retrying could succeed (0 when it cannot by waiting).
/// </summary>
public sealed record Refusal(RefusalReason Reason, string Limit, string Message, long RetryAfterMs)
{
    public int HttpStatus => RefusalReasons.HttpStatus(Reason);

    public TimeSpan RetryAfter => TimeSpan.FromMilliseconds(RetryAfterMs);
}
