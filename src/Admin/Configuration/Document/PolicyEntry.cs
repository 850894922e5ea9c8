namespace Odock.Admin.Configuration.Document;

/// <summary>Runtime guardrails on a model or an API key.</summary>
public sealed class PolicyEntry
{
    public List<string> IpAllow { get; set; } = [];

    public List<string> IpBlock { get; set; } = [];

    public long? MaxPayloadBytes { get; set; }

    /// <summary>Largest max_tokens a single request may ask for.</summary>
    public long? MaxTokensPerRequest { get; set; }

    public long? RequestsPerSecond { get; set; }

    public long? RequestsPerMinute { get; set; }

    public long? RequestsPerHour { get; set; }

    public long? RequestsPerDay { get; set; }

    public long? TokensPerMinute { get; set; }

    public long? TokensPerDay { get; set; }

    public long? MaxConcurrency { get; set; }
}
