namespace Odock.Admin.Api.Auth;

/// <summary>Sign-in settings of the admin API, bound from <c>Odock:AdminApi</c> and checked at start-up.</summary>
public sealed class AdminApiOptions
{
    public const string SectionName = "Odock:AdminApi";

    public const string CookieName = "odock_admin_session";

    /// <summary>How long a sign-in session lasts (default 8 hours).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);

    /// <summary>Longest lifetime a personal API token may be given (default one year).</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromDays(366);

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SessionLifetime < TimeSpan.FromMinutes(1) || SessionLifetime > TimeSpan.FromDays(30))
        {
            problems.Add($"{SectionName}:SessionLifetime: must be between 00:01:00 and 30.00:00:00, not {SessionLifetime}");
        }

        if (MaxTokenLifetime < TimeSpan.FromHours(1))
        {
            problems.Add($"{SectionName}:MaxTokenLifetime: must be at least 01:00:00, not {MaxTokenLifetime}");
        }

        return problems;
    }
}
