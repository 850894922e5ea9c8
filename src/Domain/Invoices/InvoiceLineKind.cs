namespace Odock.Domain.Invoices;

public enum InvoiceLineKind
{
    /// <summary>Calls to one model.</summary>
    Model,

    /// <summary>Calls of one tool on one MCP server.</summary>
    McpTool,

    /// <summary>Charged ledger rows naming neither a model nor an MCP server, so that the invoice still adds up to the ledger.</summary>
    Other,
}
