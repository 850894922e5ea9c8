namespace Odock.Domain.Invoices;

/// <summary>A change an invoice's status does not allow (editing an issued invoice, paying a draft); HTTP 409 at the API.</summary>
public sealed class InvoiceStateException : Exception
{
    public InvoiceStateException(string message)
        : base(message)
    {
    }

    public InvoiceStateException()
    {
    }

    public InvoiceStateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
