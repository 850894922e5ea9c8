namespace Odock.Domain.Invoices;

public enum InvoiceStatus
{
    Draft,
    Issued,
    Void,
}
