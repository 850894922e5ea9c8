using Odock.Domain.Invoices;

namespace Odock.Storage.Repositories;

/// <summary>
/// Invoices and the ledger sums they are built from. Only a draft's content can be replaced or deleted; an invoice
/// that left draft changes status through <see cref="TransitionAsync"/>, which never touches its lines.
/// </summary>
public interface IInvoiceRepository : IRepository<Invoice>
{
    Task<Invoice?> FindByNumberAsync(Guid organisationId, string number, CancellationToken cancellationToken = default);

    /// <summary>Newest period first.</summary>
    Task<IReadOnlyList<Invoice>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);

    /// <summary>Invoices that are not void for exactly this subject and period.</summary>
    Task<IReadOnlyList<Invoice>> ListForPeriodAsync(InvoiceSubject subject, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken = default);

    /// <summary>The sequence the organisation's next issued invoice takes; call it inside the transaction that issues.</summary>
    Task<int> NextSequenceAsync(Guid organisationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes <paramref name="changed"/>'s status, number and dates if the stored invoice is still <paramref name="expected"/>;
    /// <see cref="InvoiceStateException"/> when it is not (someone else moved it first).
    /// </summary>
    Task TransitionAsync(Invoice changed, InvoiceStatus expected, CancellationToken cancellationToken = default);

    /// <summary>The subject's ledger rows with <c>periodStart &lt;= occurred_at &lt; periodEnd</c>, summed by model or MCP tool and currency.</summary>
    Task<IReadOnlyList<InvoiceUsageGroup>> SummariseUsageAsync(InvoiceSubject subject, DateTimeOffset periodStart, DateTimeOffset periodEnd, CancellationToken cancellationToken = default);
}
