namespace Odock.Domain.Quotas;

/// <summary>What a quota counts.</summary>
public enum QuotaUnit
{
    Requests,
    /// <summary>Input plus output tokens.</summary>
    Tokens,
}
