namespace Odock.Grains.Governance;

/// <summary>Why governance refused a request. Each maps to one HTTP status (<see cref="RefusalReasons.HttpStatus"/>).</summary>
public enum RefusalReason
{
    /// <summary>No key with this secret exists.</summary>
    UnknownKey,

    Revoked,

    Expired,

    /// <summary>The client address is blocked, or not in the key's allow list.</summary>
    AddressNotAllowed,

    /// <summary>Too many failed authentications from this client address; it is refused for a while.</summary>
    TooManyFailures,

    PayloadTooLarge,

    /// <summary>A request-count window (per second, minute, hour or day) is full.</summary>
    RateLimited,

    /// <summary>A token window (per minute or day) would overflow with this request's estimate.</summary>
    TokenLimited,

    /// <summary>The most requests in flight at once are already running.</summary>
    ConcurrencyLimited,

    /// <summary>A budget has no room for this request's worst-case cost in the current period.</summary>
    BudgetExceeded,

    /// <summary>A quota has no room for this request's units in the current period.</summary>
    QuotaExceeded,

    /// <summary>
    /// The grant a gateway remembered for the key has changed: the request must be resolved again with the current one.
    /// The gateway does so itself; a client sees it only from a caller that does not (503, safe to retry at once).
    /// </summary>
    KeyChanged,
}
