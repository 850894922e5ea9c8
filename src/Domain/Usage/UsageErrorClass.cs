namespace Odock.Domain.Usage;

/// <summary>
/// Who a failed call's failure belongs to, coarser than its error code, so reports can separate what a customer
/// caused from what Odock or a provider caused without knowing every code.
/// </summary>
public enum UsageErrorClass
{
    /// <summary>The request itself was wrong or not allowed (400, 403, 404, 413...).</summary>
    Request,

    /// <summary>A governance limit refused it: rate, token or concurrency limits, budgets, quotas (402, 429).</summary>
    Limit,

    /// <summary>The provider failed, refused or timed out (upstream errors, 502, 504).</summary>
    Upstream,

    /// <summary>The client went away before the answer was complete (499).</summary>
    ClientDisconnected,

    /// <summary>Odock itself could not serve it (other 5xx).</summary>
    Gateway,
}
