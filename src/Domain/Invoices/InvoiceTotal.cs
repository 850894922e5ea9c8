namespace Odock.Domain.Invoices;

/// <summary>An invoice's sums in one currency: amounts in different currencies are never added together.</summary>
public sealed record InvoiceTotal(string Currency, decimal Models, decimal McpTools, decimal Other)
{
    public decimal Total => Models + McpTools + Other;
}
