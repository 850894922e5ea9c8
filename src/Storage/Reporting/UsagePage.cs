using Odock.Domain.Usage;

namespace Odock.Storage.Reporting;

/// <summary>One page of ledger rows, newest first; <see cref="Next"/> is null on the last page.</summary>
public sealed record UsagePage(IReadOnlyList<UsageRecord> Records, UsageCursor? Next);
