namespace Odock.Cluster;

/// <summary>Hands out references to grains; where the grain lives is the runtime's business.</summary>
public interface IGrainFactory
{
    /// <summary>A cheap, reusable proxy; calling it activates the grain on its owning silo if needed.</summary>
    TGrain Get<TGrain>(string key)
        where TGrain : class, IGrainWithStringKey;
}
