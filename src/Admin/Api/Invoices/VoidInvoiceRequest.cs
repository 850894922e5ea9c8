namespace Odock.Admin.Api.Invoices;

/// <summary>Why an invoice is cancelled; kept on the invoice.</summary>
internal sealed record VoidInvoiceRequest(string? Reason);
