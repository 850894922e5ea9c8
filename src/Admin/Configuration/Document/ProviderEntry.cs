namespace Odock.Admin.Configuration.Document;

public sealed class ProviderEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary>openai, azure_openai, anthropic, gemini, vllm, openai_compatible or mock.</summary>
    public string Type { get; set; } = string.Empty;

    public string? BaseUrl { get; set; }

    /// <summary>Azure OpenAI's api-version; stored as the <c>api_version</c> setting.</summary>
    public string? ApiVersion { get; set; }

    /// <summary>Provider-type settings, e.g. latency_ms and fail_status for the mock provider.</summary>
    public Dictionary<string, string> Settings { get; set; } = [];

    public List<ProviderKeyEntry> Keys { get; set; } = [];
}
