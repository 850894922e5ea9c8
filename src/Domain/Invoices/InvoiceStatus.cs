namespace Odock.Domain.Invoices;

/// <summary>
/// Where an invoice is in its life: a <see cref="Draft"/> may be regenerated; <see cref="Issued"/> fixes its number and
/// content for good; <see cref="Paid"/> is final; <see cref="Void"/> cancels it while keeping it on record.
/// </summary>
public enum InvoiceStatus
{
    Draft,
    Issued,
    Paid,
    Void,
}
