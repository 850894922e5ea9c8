namespace Odock.Admin.Configuration.Document;

public sealed class BudgetEntry
{
    public string Name { get; set; } = string.Empty;

    /// <summary>organisation, team, user or api_key.</summary>
    public string Scope { get; set; } = "organisation";

    /// <summary>The team name, user email or API key name the scope points at; empty for the organisation.</summary>
    public string? Target { get; set; }

    public decimal Amount { get; set; }

    public string Currency { get; set; } = "USD";

    /// <summary>daily, weekly, monthly or lifetime.</summary>
    public string Period { get; set; } = "monthly";

    public string TimeZone { get; set; } = "UTC";
}
