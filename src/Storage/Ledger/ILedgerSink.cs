using Odock.Domain.Usage;

namespace Odock.Storage.Ledger;

/// <summary>
/// Writes one batch of ledger rows in one transaction, skipping rows whose request id and kind are already there.
/// Called from the writer's one thread; disposed with the writer.
/// </summary>
internal interface ILedgerSink : IDisposable
{
    /// <summary>Returns how many rows were new. Throws the driver's exception when the batch could not be written.</summary>
    int Write(IReadOnlyList<UsageRecord> batch);
}
