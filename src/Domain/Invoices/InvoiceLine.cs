namespace Odock.Domain.Invoices;

/// <summary>
/// One line of an invoice: the usage of one model, or of one MCP tool, in one currency over the period, with the
/// quantities the ledger recorded and the exact amount charged (never rounded, so lines add up to the ledger).
/// </summary>
public sealed record InvoiceLine
{
    public required InvoiceLineKind Kind { get; init; }

    /// <summary>The model name, or the MCP server's name.</summary>
    public required string Subject { get; init; }

    /// <summary>The tool name on an <see cref="InvoiceLineKind.McpTool"/> line.</summary>
    public string? Tool { get; init; }

    public required string Currency { get; init; }

    /// <summary>Requests (model lines) or tool calls (MCP lines) recorded.</summary>
    public long Calls { get; init; }

    public long InputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    /// <summary>The part of <see cref="CacheWriteTokens"/> written with the one-hour TTL; zero on lines stored before it was billed.</summary>
    public long CacheWriteOneHourTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long Images { get; init; }

    /// <summary>Seconds of audio input.</summary>
    public decimal AudioSeconds { get; init; }

    /// <summary>Seconds of generated audio; zero on lines stored before it was billed.</summary>
    public decimal AudioOutputSeconds { get; init; }

    /// <summary>Characters spoken (text to speech); zero on lines stored before it was billed.</summary>
    public long Characters { get; init; }

    public required decimal Amount { get; init; }

    public string Description => Kind switch
    {
        InvoiceLineKind.Model => $"Model {Subject}",
        InvoiceLineKind.McpTool => $"MCP {Subject}: {Tool}",
        _ => Subject,
    };
}
