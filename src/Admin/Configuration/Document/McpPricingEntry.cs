namespace Odock.Admin.Configuration.Document;

public sealed class McpPricingEntry
{
    public string Currency { get; set; } = "USD";

    /// <summary>Price of one tool call unless the tool has its own.</summary>
    public decimal PerCall { get; set; }

    public Dictionary<string, decimal> Tools { get; set; } = [];
}
