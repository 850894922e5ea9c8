namespace Odock.Admin.Configuration.Document;

public sealed class RoutingEntry
{
    /// <summary>failover, priority, round_robin, weighted or native_fallback.</summary>
    public string Strategy { get; set; } = "failover";

    /// <summary>Odock model names in order (or with weights for weighted).</summary>
    public List<RoutingTargetEntry> Targets { get; set; } = [];
}
