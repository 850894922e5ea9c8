using Odock.Cluster;

namespace Odock.Grains.ApiKeys;

/// <summary>
/// Failed authentications from one client address (the grain key). Past a threshold the address is refused for a
/// while, so guessing keys is slow and unknown keys cannot be used to hammer storage.
/// </summary>
[GrainType("clientguard")]
public interface IClientGuardGrain : IGrainWithStringKey
{
    /// <summary>Counts a failure; returns how long the address is now blocked (zero when it is not).</summary>
    Task<long> RecordFailure();

    Task<long> BlockedForMs();
}
