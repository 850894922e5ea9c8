using Odock.Domain.Models;

namespace Odock.Gateway.Providers;

/// <summary>
/// The end of a call (chat, or any other operation sent upstream) as the ledger records it: the status the client got,
/// tokens (the provider's count, or an estimate when the stream was cut before the provider said), why it failed, and
/// the provider's usage verbatim.
/// </summary>
internal sealed record ChatOutcome(int Status, TokenUsage Usage, bool UsageEstimated, string? ErrorCode, string? ProviderUsageJson, long? TimeToFirstByteMs)
{
    public bool Served => Status is >= 200 and < 400;

    /// <summary>A call that got no answer from the provider: nothing used, nothing to charge.</summary>
    public static ChatOutcome Failed(int status, string code) => new(status, default, false, code, null, null);
}
