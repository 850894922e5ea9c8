using Odock.Cluster;

namespace Odock.Grains.Catalog;

/// <summary>One organisation's catalog (keyed by organisation id), loaded once and handed to gateways by version.</summary>
[GrainType("orgcatalog")]
public interface IOrgCatalogGrain : IGrainWithStringKey
{
    /// <summary>The snapshot when its version differs from <paramref name="knownVersion"/>; null when the caller is current.</summary>
    Task<CatalogSnapshot?> GetIfChanged(long knownVersion);

    /// <summary>Reloads from storage after an admin change; returns the new version.</summary>
    Task<long> Refresh();
}
