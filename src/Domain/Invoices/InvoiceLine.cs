namespace Odock.Domain.Invoices;

/// <summary>
/// One line of an invoice: the usage of one model, or of one MCP tool, in one currency over the period, with the
/// quantities the ledger recorded and the exact amount charged (never rounded, so lines add up to the ledger).
/// </summary>
public sealed record InvoiceLine : InvoiceQuantities
{
    public required InvoiceLineKind Kind { get; init; }

    /// <summary>The model name, or the MCP server's name.</summary>
    public required string Subject { get; init; }

    /// <summary>The tool name on an <see cref="InvoiceLineKind.McpTool"/> line.</summary>
    public string? Tool { get; init; }

    public required string Currency { get; init; }

    public string Description => Kind switch
    {
        InvoiceLineKind.Model => $"Model {Subject}",
        InvoiceLineKind.McpTool => $"MCP {Subject}: {Tool}",
        _ => Subject,
    };
}
