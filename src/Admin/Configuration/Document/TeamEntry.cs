namespace Odock.Admin.Configuration.Document;

public sealed class TeamEntry
{
    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }
}
