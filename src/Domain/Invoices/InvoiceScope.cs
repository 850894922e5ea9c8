namespace Odock.Domain.Invoices;

/// <summary>Whose usage an invoice bills: the whole organisation, one team, or one user.</summary>
public enum InvoiceScope
{
    Organisation,
    Team,
    User,
}
