using Odock.Domain.Invoices;

namespace Odock.Storage.Repositories;

public interface IInvoiceRepository : IRepository<Invoice>
{
    Task<Invoice?> FindByNumberAsync(string number, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Invoice>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);
}
