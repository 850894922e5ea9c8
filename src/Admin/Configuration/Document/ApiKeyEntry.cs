namespace Odock.Admin.Configuration.Document;

public sealed class ApiKeyEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary>
    /// The key's secret, normally a <c>${ENV_VAR}</c> reference; only its hash and prefix are stored. When omitted, Odock
    /// generates an <c>odk-</c> key on first import and prints it once.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>organisation, team or user.</summary>
    public string Scope { get; set; } = "organisation";

    public string? Team { get; set; }

    public string? User { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    /// <summary>Odock model names this key may call.</summary>
    public List<string> Models { get; set; } = [];

    /// <summary>MCP server names this key may use.</summary>
    public List<string> McpServers { get; set; } = [];

    public PolicyEntry? Limits { get; set; }

    public RoutingEntry? Routing { get; set; }
}
