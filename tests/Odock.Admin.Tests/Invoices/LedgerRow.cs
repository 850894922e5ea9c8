namespace Odock.Admin.Tests.Invoices;

/// <summary>One usage_records row as a test writes it straight into the ledger table.</summary>
internal sealed record LedgerRow
{
    public required DateTimeOffset OccurredAt { get; init; }

    public required Guid OrganisationId { get; init; }

    public Guid? TeamId { get; init; }

    public Guid? UserId { get; init; }

    public string? ModelName { get; init; }

    public Guid? McpServerId { get; init; }

    public string? ToolName { get; init; }

    public long InputTokens { get; init; }

    public long CachedInputTokens { get; init; }

    public long CacheWriteTokens { get; init; }

    public long CacheWriteOneHourTokens { get; init; }

    public long OutputTokens { get; init; }

    public long ReasoningTokens { get; init; }

    public long Images { get; init; }

    public string? ImageSize { get; init; }

    public string? ImageQuality { get; init; }

    public decimal AudioSeconds { get; init; }

    public decimal AudioOutputSeconds { get; init; }

    public long Characters { get; init; }

    public long HostedToolCalls { get; init; }

    public required decimal Cost { get; init; }

    public string Currency { get; init; } = "USD";

    public int HttpStatus { get; init; } = 200;
}
