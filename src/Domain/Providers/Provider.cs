using Odock.Domain.Common;

namespace Odock.Domain.Providers;

/// <summary>A connection to an upstream API (OpenAI, an Azure deployment, a vLLM server...) owned by an organisation.</summary>
public sealed record Provider : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    /// <summary>Unique within the organisation.</summary>
    public required string Name { get; init; }

    public required ProviderType Type { get; init; }

    /// <summary>The API base URL; defaults to the family's public endpoint where it has one.</summary>
    public string? BaseUrl { get; init; }

    /// <summary>Family-specific settings (for example <c>api_version</c> for Azure, <c>latency_ms</c> for mock).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Families with no public endpoint need a base URL.</summary>
    public static bool RequiresBaseUrl(ProviderType type) =>
        type is ProviderType.AzureOpenAi or ProviderType.Vllm or ProviderType.OpenAiCompatible;

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("organisation_id", OrganisationId)
            .Name("name", Name)
            .AbsoluteHttpUrl("base_url", BaseUrl);
        if (BaseUrl is null && RequiresBaseUrl(Type))
        {
            validator.Add("base_url", $"is required for provider type {WireName.Of(Type)}");
        }

        foreach (var (key, value) in Settings)
        {
            validator.Name($"settings.{key}", key).MaxLength($"settings.{key}", value, 4096);
        }

        if (Type == ProviderType.AzureOpenAi && Settings.TryGetValue(AzureOpenAiSettings.ApiVersionKey, out var apiVersion) && !AzureOpenAiSettings.IsValidApiVersion(apiVersion))
        {
            validator.Add($"settings.{AzureOpenAiSettings.ApiVersionKey}", $"'{apiVersion}' must be an Azure OpenAI API version such as {AzureOpenAiSettings.DefaultApiVersion} or 2025-04-01-preview");
        }

        return validator.Problems;
    }
}
