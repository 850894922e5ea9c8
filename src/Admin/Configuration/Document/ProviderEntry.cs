namespace Odock.Admin.Configuration.Document;

public sealed class ProviderEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary>openai, azure_openai, anthropic, gemini, vllm, openai_compatible or mock.</summary>
    public string Type { get; set; } = string.Empty;

    public string? BaseUrl { get; set; }

    public string? ApiVersion { get; set; }

    public Dictionary<string, string> Headers { get; set; } = [];

    /// <summary>Provider-type settings, e.g. latency_ms and failure_rate for the mock provider.</summary>
    public Dictionary<string, string> Settings { get; set; } = [];

    public List<ProviderKeyEntry> Keys { get; set; } = [];
}
