namespace Odock.Cluster;

/// <summary>Why an activation is ending.</summary>
public enum DeactivationReason
{
    /// <summary>Unused for longer than the idle collection age.</summary>
    Idle,
    /// <summary>The grain asked for it (<see cref="Grain.DeactivateOnIdle"/>).</summary>
    Requested,
    /// <summary>Evicted because the silo holds its maximum number of activations.</summary>
    CapacityExceeded,
    /// <summary>The partition is being handed to another silo; state can still be written.</summary>
    Handoff,
    /// <summary>The partition's lease was lost (or a write was fenced); state can no longer be written.</summary>
    LeaseLost,
    /// <summary>The silo is shutting down gracefully.</summary>
    Shutdown,
}
