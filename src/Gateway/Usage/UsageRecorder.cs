using Odock.Domain.Usage;
using Odock.Storage.Ledger;

namespace Odock.Gateway.Usage;

/// <summary>
/// The gateway's way into the usage ledger. The shared ledger writer (src/Storage/Ledger) does the work off the
/// request path: bounded queue, batched writes, a spool file while the database is away, a drain on shutdown.
/// </summary>
internal sealed class UsageRecorder(LedgerWriter ledger)
{
    public ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken) => ledger.AppendAsync(record, cancellationToken);
}
