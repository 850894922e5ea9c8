using Odock.Domain.Invoices;

namespace Odock.Admin.Invoices;

/// <summary>An invoice with the names a reader needs beside the ids it stores: the organisation and who is billed.</summary>
internal sealed record InvoiceDocument(Invoice Invoice, string OrganisationName, string BilledTo);
