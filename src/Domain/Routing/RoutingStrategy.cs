namespace Odock.Domain.Routing;

/// <summary>How the gateway picks among a routing policy's targets.</summary>
public enum RoutingStrategy
{
    /// <summary>Targets in order; the next one only when the previous failed with a retryable error.</summary>
    Failover,
    RoundRobin,
    /// <summary>Random by weight, failing over to the others.</summary>
    Weighted,
    /// <summary>The target with the lowest recent latency first.</summary>
    LowestLatency,
    /// <summary>The cheapest target for the request first.</summary>
    LowestCost,
}
