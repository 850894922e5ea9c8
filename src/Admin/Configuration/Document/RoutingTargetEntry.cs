namespace Odock.Admin.Configuration.Document;

public sealed class RoutingTargetEntry
{
    public string Model { get; set; } = string.Empty;

    public int Weight { get; set; } = 1;
}
