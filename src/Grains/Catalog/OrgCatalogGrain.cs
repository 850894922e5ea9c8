using Odock.Cluster;
using Odock.Domain.Common;
using Odock.Storage.Store;

namespace Odock.Grains.Catalog;

/// <summary>Versions are load instants in ticks, so a reactivated catalog never reuses the version of an older load.</summary>
internal sealed class OrgCatalogGrain(IOdockStore store, TimeProvider time) : Grain, IOrgCatalogGrain
{
    private CatalogSnapshot? _snapshot;

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(cancellationToken);

    public Task<CatalogSnapshot?> GetIfChanged(long knownVersion) =>
        Task.FromResult(_snapshot is { } snapshot && snapshot.Version != knownVersion ? snapshot : null);

    public async Task<long> Refresh()
    {
        await LoadAsync(CancellationToken.None).ConfigureAwait(false);
        return _snapshot?.Version ?? 0;
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(Key, out var organisationId))
        {
            return;
        }

        await using var session = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var models = await session.Models.ListAsync(organisationId, cancellationToken).ConfigureAwait(false);
        var providers = await session.Providers.ListAsync(organisationId, cancellationToken).ConfigureAwait(false);
        var version = Math.Max(time.GetUtcNow().UtcTicks, (_snapshot?.Version ?? 0) + 1);
        _snapshot = new CatalogSnapshot(
            organisationId,
            version,
            models.Select(m => new CatalogModel(m.Id, m.Name, m.UpstreamSlug, m.ProviderId, m.ProviderKeyId, m.Type, m.Capabilities.Select(c => WireName.Of(c)).Order(StringComparer.Ordinal).ToArray(), m.Pricing, m.Policies, m.Enabled)).ToArray(),
            providers.Select(p => new CatalogProvider(p.Id, p.Name, p.Type, p.BaseUrl, new Dictionary<string, string>(p.Settings), p.Enabled)).ToArray());
    }
}
