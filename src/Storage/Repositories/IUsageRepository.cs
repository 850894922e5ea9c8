using Odock.Domain.Usage;

namespace Odock.Storage.Repositories;

/// <summary>The usage ledger: append-only, idempotent by (request id, kind).</summary>
public interface IUsageRepository
{
    /// <summary>Appends the records; a record whose request id and kind are already present is skipped. Returns how many were new.</summary>
    Task<int> AppendAsync(IReadOnlyCollection<UsageRecord> records, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<UsageRecord>> ListAsync(UsageQuery query, CancellationToken cancellationToken = default);
}
