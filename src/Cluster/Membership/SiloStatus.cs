namespace Odock.Cluster.Membership;

/// <summary>A silo's membership status as written in its heartbeat row.</summary>
internal static class SiloStatus
{
    public const string Active = "active";

    /// <summary>Shutting down gracefully: handing its partitions off, no longer a placement target.</summary>
    public const string Leaving = "leaving";

    public const string Dead = "dead";
}
