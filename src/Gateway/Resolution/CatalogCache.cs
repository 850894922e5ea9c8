using System.Collections.Concurrent;
using Odock.Cluster;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Resolution;

/// <summary>
/// Each organisation's catalog snapshot, cached per gateway and revalidated with its grain at most every
/// <see cref="GatewayOptions.CatalogRevalidation"/> (one cheap call that returns nothing when unchanged), so an admin
/// change reaches every gateway within that interval without a call per request.
/// </summary>
internal sealed class CatalogCache(IGrainFactory grains, GatewayOptions options, TimeProvider time)
{
    private readonly ConcurrentDictionary<Guid, Entry> _entries = new();

    public async ValueTask<CatalogSnapshot?> GetAsync(Guid organisationId) => (await GetIndexAsync(organisationId).ConfigureAwait(false))?.Snapshot;

    /// <summary>The snapshot with its lookups, which are built once per snapshot version.</summary>
    public async ValueTask<CatalogIndex?> GetIndexAsync(Guid organisationId)
    {
        if (_entries.TryGetValue(organisationId, out var entry) && time.GetElapsedTime(entry.CheckedAt) < options.CatalogRevalidation)
        {
            return entry.Index;
        }

        var grain = grains.Get<IOrgCatalogGrain>(organisationId.ToString());
        var changed = await grain.GetIfChanged(entry?.Index?.Snapshot.Version ?? 0).ConfigureAwait(false);
        var index = changed is null ? entry?.Index : new CatalogIndex(changed);
        _entries[organisationId] = new Entry(index, time.GetTimestamp());
        return index;
    }

    private sealed record Entry(CatalogIndex? Index, long CheckedAt);
}
