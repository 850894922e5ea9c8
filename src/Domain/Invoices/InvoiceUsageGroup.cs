namespace Odock.Domain.Invoices;

/// <summary>
/// Ledger rows of one period summed by what they were for (model name, or MCP server and tool) and by currency, as
/// storage reads them; <see cref="InvoiceLines"/> turns these into invoice lines.
/// </summary>
public sealed record InvoiceUsageGroup
{
    public string? ModelName { get; init; }

    public Guid? McpServerId { get; init; }

    /// <summary>The server's current name; null when the server has since been deleted.</summary>
    public string? McpServerName { get; init; }

    public string? ToolName { get; init; }

    public required string Currency { get; init; }

    public long Calls { get; init; }

    public long InputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written with the one-hour TTL.</summary>
    public long CacheWriteOneHourTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long Images { get; init; }

    public decimal AudioSeconds { get; init; }

    public decimal AudioOutputSeconds { get; init; }

    public long Characters { get; init; }

    public decimal Amount { get; init; }
}
