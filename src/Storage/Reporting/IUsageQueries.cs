using Odock.Domain.Usage;

namespace Odock.Storage.Reporting;

/// <summary>Reads of the usage ledger for reports, invoices and exports (docs/USAGE.md).</summary>
public interface IUsageQueries
{
    /// <summary>Up to <paramref name="limit"/> rows, newest first, after <paramref name="after"/> (the previous page's <see cref="UsagePage.Next"/>).</summary>
    Task<UsagePage> ListAsync(UsageFilter filter, int limit, UsageCursor? after = null, CancellationToken cancellationToken = default);

    /// <summary>Requests, failures, tokens by kind and cost, per time bucket, currency and the chosen dimensions, in bucket order.</summary>
    Task<IReadOnlyList<UsageAggregate>> AggregateAsync(UsageAggregateQuery query, CancellationToken cancellationToken = default);

    /// <summary>Every matching row, oldest first, read from the database one at a time as the caller consumes them.</summary>
    IAsyncEnumerable<UsageRecord> StreamAsync(UsageFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Writes every matching row as CSV (RFC 4180, header first) to <paramref name="destination"/> as it is read. Returns the row count.</summary>
    Task<long> ExportCsvAsync(UsageFilter filter, Stream destination, CancellationToken cancellationToken = default);
}
