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

    public async ValueTask<CatalogSnapshot?> GetAsync(Guid organisationId)
    {
        if (_entries.TryGetValue(organisationId, out var entry) && time.GetElapsedTime(entry.CheckedAt) < options.CatalogRevalidation)
        {
            return entry.Snapshot;
        }

        var grain = grains.Get<IOrgCatalogGrain>(organisationId.ToString());
        var changed = await grain.GetIfChanged(entry?.Snapshot?.Version ?? 0).ConfigureAwait(false);
        var snapshot = changed ?? entry?.Snapshot;
        _entries[organisationId] = new Entry(snapshot, time.GetTimestamp());
        return snapshot;
    }

    private sealed record Entry(CatalogSnapshot? Snapshot, long CheckedAt);
}
