namespace Odock.Gateway;

/// <summary>The gateway's settings, bound from <c>Odock:Gateway</c> and checked at start-up.</summary>
public sealed class GatewayOptions
{
    public const string SectionName = "Odock:Gateway";

    /// <summary>The largest request body accepted from any client, whatever its key allows (413 beyond).</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>How long a provider may take to answer a call, or stay silent between two events of a stream.</summary>
    public TimeSpan UpstreamTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The output a request may produce when it sets no limit, for worst-case cost reservations.</summary>
    public long DefaultMaxOutputTokens { get; set; } = 4096;

    /// <summary>
    /// The calls of the provider's own tools (web search, file search…) a request may make when it sets no bound:
    /// reserved at the tool's price, and sent to the provider as the bound where its API takes one.
    /// </summary>
    public long DefaultMaxHostedToolCalls { get; set; } = 10;

    /// <summary>How often a gateway asks an organisation's catalog grain whether models changed.</summary>
    public TimeSpan CatalogRevalidation { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The web origins whose pages may call the gateway from the browser, comma-separated (<c>https://app.example.com</c>),
    /// <c>*</c> for any, or empty for none. Keys travel in headers, never cookies, so allowing an origin lends it nothing.
    /// </summary>
    public string CorsAllowedOrigins { get; set; } = "*";

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>(Endpoints.BrowserAccess.Problems(CorsAllowedOrigins, $"{SectionName}:CorsAllowedOrigins"));
        if (MaxBodyBytes < 1024)
        {
            problems.Add($"{SectionName}:MaxBodyBytes: must be at least 1024");
        }

        if (UpstreamTimeout <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:UpstreamTimeout: must be positive");
        }

        if (DefaultMaxOutputTokens < 1)
        {
            problems.Add($"{SectionName}:DefaultMaxOutputTokens: must be at least 1");
        }

        if (DefaultMaxHostedToolCalls < 0)
        {
            problems.Add($"{SectionName}:DefaultMaxHostedToolCalls: must not be negative");
        }

        if (CatalogRevalidation <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:CatalogRevalidation: must be positive");
        }

        return problems;
    }
}
