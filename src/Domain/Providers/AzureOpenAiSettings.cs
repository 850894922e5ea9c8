using System.Text.RegularExpressions;

namespace Odock.Domain.Providers;

/// <summary>
/// The settings an Azure OpenAI provider reads: <c>api_version</c>, the data-plane version sent as
/// <c>?api-version=</c> on every call (<see cref="DefaultApiVersion"/> when unset), dated like Azure's own releases.
/// </summary>
public static partial class AzureOpenAiSettings
{
    public const string ApiVersionKey = "api_version";

    /// <summary>The latest generally available data-plane inference version with chat, embeddings and images.</summary>
    public const string DefaultApiVersion = "2024-10-21";

    public static string ApiVersionOf(IReadOnlyDictionary<string, string> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.TryGetValue(ApiVersionKey, out var version) ? version : DefaultApiVersion;
    }

    /// <summary>
    /// Whether the provider's API version takes <c>max_completion_tokens</c>, which Azure added with the
    /// <c>2024-09-01-preview</c> version (for its reasoning models); older versions know <c>max_tokens</c> only.
    /// </summary>
    public static bool TakesMaxCompletionTokens(IReadOnlyDictionary<string, string> settings) =>
        string.CompareOrdinal(ApiVersionOf(settings), "2024-09-01") >= 0;

    /// <summary><c>YYYY-MM-DD</c>, optionally followed by <c>-preview</c>.</summary>
    public static bool IsValidApiVersion(string? version) => version is not null && ApiVersionPattern().IsMatch(version);

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$", RegexOptions.CultureInvariant)]
    private static partial Regex ApiVersionPattern();
}
