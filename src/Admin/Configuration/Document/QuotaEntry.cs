namespace Odock.Admin.Configuration.Document;

public sealed class QuotaEntry
{
    public string Name { get; set; } = string.Empty;

    public string Scope { get; set; } = "organisation";

    public string? Target { get; set; }

    /// <summary>requests or tokens.</summary>
    public string Unit { get; set; } = "requests";

    public long Limit { get; set; }

    public string Period { get; set; } = "monthly";

    public string TimeZone { get; set; } = "UTC";
}
