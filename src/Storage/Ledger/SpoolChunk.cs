using Odock.Domain.Usage;

namespace Odock.Storage.Ledger;

/// <summary>Records read back from the spool, in the order they were spooled, and where the next read starts once they are written.</summary>
internal sealed record SpoolChunk(IReadOnlyList<UsageRecord> Records, long End);
