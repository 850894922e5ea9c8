namespace Odock.Admin.Invoices;

/// <summary>What an invoice audit entry records beside the invoice id.</summary>
internal sealed record InvoiceAuditDetails(string? Number, string Status, string? VoidReason);
