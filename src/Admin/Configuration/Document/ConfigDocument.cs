namespace Odock.Admin.Configuration.Document;

/// <summary>The root of a declarative configuration file (docs/CONFIG.md).</summary>
public sealed class ConfigDocument
{
    /// <summary>The format version; 1 is the only one today.</summary>
    public int Version { get; set; } = 1;

    public List<OrganisationEntry> Organisations { get; set; } = [];
}
