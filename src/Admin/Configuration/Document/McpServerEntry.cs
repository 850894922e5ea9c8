namespace Odock.Admin.Configuration.Document;

public sealed class McpServerEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary>streamable_http, sse or stdio.</summary>
    public string Transport { get; set; } = string.Empty;

    public string? Url { get; set; }

    public string? Command { get; set; }

    public List<string> Args { get; set; } = [];

    /// <summary>Optional owner: a team name in this organisation.</summary>
    public string? Team { get; set; }

    /// <summary>Optional owner: an API key name in this organisation.</summary>
    public string? ApiKey { get; set; }

    public List<string> AllowedTools { get; set; } = [];

    public List<string> BlockedTools { get; set; } = [];

    public McpPricingEntry? Pricing { get; set; }

    public PolicyEntry? RateLimit { get; set; }

    public Dictionary<string, string> Metadata { get; set; } = [];
}
