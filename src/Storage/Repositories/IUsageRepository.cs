using Odock.Domain.Budgets;
using Odock.Domain.Usage;

namespace Odock.Storage.Repositories;

/// <summary>The usage ledger: append-only, idempotent by (request id, kind).</summary>
public interface IUsageRepository
{
    /// <summary>Appends the records; a record whose request id and kind are already present is skipped. Returns how many were new.</summary>
    Task<int> AppendAsync(IReadOnlyCollection<UsageRecord> records, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<UsageRecord>> ListAsync(UsageQuery query, CancellationToken cancellationToken = default);

    /// <summary>Totals of the rows attributed to <paramref name="targetId"/> at <paramref name="scope"/> that occurred in [from, to).</summary>
    Task<LedgerTotal> TotalAsync(LimitScope scope, Guid targetId, DateTimeOffset from, DateTimeOffset? to, CancellationToken cancellationToken = default);

    /// <summary>True when a row of the request was durable at <paramref name="watermark"/> (so a total taken then includes it).</summary>
    Task<bool> IsCountedAsync(string requestId, string watermark, CancellationToken cancellationToken = default);
}
