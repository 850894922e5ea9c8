using Odock.Domain.Invoices;

namespace Odock.Admin.Api.Invoices;

/// <summary>An invoice's subtotals and total in one currency.</summary>
internal sealed record InvoiceTotalResponse(string Currency, decimal Models, decimal McpTools, decimal Other, decimal Total)
{
    public static InvoiceTotalResponse Of(InvoiceTotal total)
    {
        ArgumentNullException.ThrowIfNull(total);
        return new InvoiceTotalResponse(total.Currency, total.Models, total.McpTools, total.Other, total.Total);
    }
}
