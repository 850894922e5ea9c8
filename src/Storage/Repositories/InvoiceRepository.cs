using Odock.Domain.Common;
using Odock.Domain.Invoices;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class InvoiceRepository(SqlSession session)
    : CrudRepository<Invoice, InvoiceRepository.Row>(session, RowMap, "invoice"), IInvoiceRepository
{
    private static readonly TableMap<Row> RowMap = new("invoices");

    public Task<Invoice?> FindByNumberAsync(string number, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE number = @Number", new { Number = number }, cancellationToken);

    public Task<IReadOnlyList<Invoice>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY period_start DESC, number", new { OrganisationId = organisationId }, cancellationToken);

    protected override Guid IdOf(Invoice entity) => entity.Id;

    protected override Row ToRow(Invoice entity) => new()
    {
        Id = entity.Id, OrganisationId = entity.OrganisationId, TeamId = entity.TeamId, Number = entity.Number, PeriodStart = entity.PeriodStart,
        PeriodEnd = entity.PeriodEnd, Currency = entity.Currency, Lines = StorageJson.Write(entity.Lines.ToList()), Total = entity.Total,
        Status = WireName.Of(entity.Status), CreatedAt = entity.CreatedAt, IssuedAt = entity.IssuedAt,
    };

    protected override Invoice ToEntity(Row row) => new()
    {
        Id = row.Id, OrganisationId = row.OrganisationId, TeamId = row.TeamId, Number = row.Number, PeriodStart = row.PeriodStart,
        PeriodEnd = row.PeriodEnd, Currency = row.Currency, Lines = StorageJson.Read<List<InvoiceLine>>(row.Lines),
        Status = WireName.Parse<InvoiceStatus>(row.Status), CreatedAt = row.CreatedAt, IssuedAt = row.IssuedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public Guid? TeamId { get; set; }
        public string Number { get; set; } = "";
        public DateTimeOffset PeriodStart { get; set; }
        public DateTimeOffset PeriodEnd { get; set; }
        public string Currency { get; set; } = "";
        public string Lines { get; set; } = "[]";
        public decimal Total { get; set; }
        public string Status { get; set; } = "";
        public DateTimeOffset CreatedAt { get; set; }
        public DateTimeOffset? IssuedAt { get; set; }
    }
}
