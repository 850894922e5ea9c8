using Odock.Domain.Invoices;

namespace Odock.Admin.Api.Invoices;

/// <summary>An invoice as the admin API shows it: who is billed, for which period, its lines and a total per currency.</summary>
internal sealed record InvoiceResponse(
    Guid Id, Guid OrganisationId, InvoiceScope Scope, Guid? TeamId, Guid? UserId, string? Number, InvoiceStatus Status, DateTimeOffset PeriodStart,
    DateTimeOffset PeriodEnd, IReadOnlyList<InvoiceLine> Lines, IReadOnlyList<InvoiceTotalResponse> Totals, DateTimeOffset CreatedAt,
    DateTimeOffset? IssuedAt, DateTimeOffset? PaidAt, DateTimeOffset? VoidedAt, string? VoidReason)
{
    public static InvoiceResponse Of(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return new InvoiceResponse(
            invoice.Id, invoice.OrganisationId, invoice.Scope, invoice.TeamId, invoice.UserId, invoice.Number, invoice.Status, invoice.PeriodStart,
            invoice.PeriodEnd, invoice.Lines, invoice.Totals.Select(InvoiceTotalResponse.Of).ToArray(), invoice.CreatedAt, invoice.IssuedAt,
            invoice.PaidAt, invoice.VoidedAt, invoice.VoidReason);
    }
}
