namespace Odock.Grains.Governance;

/// <summary>Status codes and wire names of refusals, the same for every API family (docs/GOVERNANCE.md).</summary>
public static class RefusalReasons
{
    /// <summary>
    /// 401 for credentials, 403 for addresses, 413 for size, 429 for windows that free up by themselves (with
    /// Retry-After), 402 for exhausted budgets and quotas: SDKs retry 429 on their own, and retrying cannot refill a
    /// budget, so a spent budget must not look like a rate limit.
    /// </summary>
    public static int HttpStatus(RefusalReason reason) => reason switch
    {
        RefusalReason.UnknownKey or RefusalReason.Revoked or RefusalReason.Expired => 401,
        RefusalReason.AddressNotAllowed => 403,
        RefusalReason.PayloadTooLarge => 413,
        RefusalReason.BudgetExceeded or RefusalReason.QuotaExceeded => 402,
        RefusalReason.KeyChanged => 503,
        _ => 429,
    };

    public static string WireName(RefusalReason reason) => reason switch
    {
        RefusalReason.UnknownKey => "invalid_api_key",
        RefusalReason.Revoked => "api_key_revoked",
        RefusalReason.Expired => "api_key_expired",
        RefusalReason.AddressNotAllowed => "address_not_allowed",
        RefusalReason.TooManyFailures => "too_many_failed_attempts",
        RefusalReason.PayloadTooLarge => "payload_too_large",
        RefusalReason.RateLimited => "rate_limit_exceeded",
        RefusalReason.TokenLimited => "token_limit_exceeded",
        RefusalReason.ConcurrencyLimited => "concurrency_limit_exceeded",
        RefusalReason.BudgetExceeded => "budget_exceeded",
        RefusalReason.QuotaExceeded => "quota_exceeded",
        RefusalReason.KeyChanged => "api_key_changed",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
