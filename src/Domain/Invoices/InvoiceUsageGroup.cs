namespace Odock.Domain.Invoices;

/// <summary>
/// Ledger rows of one period summed by what they were for (model name, or MCP server and tool) and by currency, as
/// storage reads them; <see cref="InvoiceLines"/> turns these into invoice lines.
/// </summary>
public sealed record InvoiceUsageGroup : InvoiceQuantities
{
    public string? ModelName { get; init; }

    public Guid? McpServerId { get; init; }

    /// <summary>The server's current name; null when the server has since been deleted.</summary>
    public string? McpServerName { get; init; }

    public string? ToolName { get; init; }

    public required string Currency { get; init; }
}
