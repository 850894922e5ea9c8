namespace Odock.Domain.Invoices;

/// <summary>One line of an invoice: usage of one model or MCP server in the period.</summary>
public sealed record InvoiceLine(string Description, long Quantity, string Unit, decimal Amount);
