namespace Odock.Admin.Configuration.Document;

public sealed class RoutingEntry
{
    /// <summary>failover, round_robin, weighted, lowest_latency or lowest_cost.</summary>
    public string Strategy { get; set; } = "failover";

    /// <summary>Odock model names in order (or with weights for weighted).</summary>
    public List<RoutingTargetEntry> Targets { get; set; } = [];

    /// <summary>Attempts per request across targets, including the first.</summary>
    public int MaxAttempts { get; set; } = 3;
}
