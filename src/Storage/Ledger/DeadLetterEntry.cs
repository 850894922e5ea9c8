using Odock.Domain.Usage;

namespace Odock.Storage.Ledger;

/// <summary>
/// One line of the dead-letter file: a record the database refused for its data, or a spool line that could not be
/// read back, with the reason and when.
/// </summary>
internal sealed record DeadLetterEntry(DateTimeOffset FailedAt, string Reason, UsageRecord? Record, string? SpoolLine);
