using System.Collections.Frozen;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Resolution;

/// <summary>
/// An organisation's catalog snapshot with its enabled models by name and its enabled providers by id. The gateway
/// builds one per snapshot version, so resolving a model costs one hash lookup however many models the organisation
/// has; a scan of the snapshot cost a string comparison per model (docs/BENCHMARKS.md, "Model resolution").
/// </summary>
internal sealed class CatalogIndex
{
    private readonly FrozenDictionary<string, CatalogModel> _models;
    private readonly FrozenDictionary<Guid, CatalogProvider> _providers;

    public CatalogIndex(CatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Snapshot = snapshot;
        var models = new Dictionary<string, CatalogModel>(snapshot.Models.Length, StringComparer.Ordinal);
        foreach (var model in snapshot.Models)
        {
            // Names are unique in an organisation; should two enabled models ever share one, the first wins, as it did.
            if (model.Enabled)
            {
                models.TryAdd(model.Name, model);
            }
        }

        var providers = new Dictionary<Guid, CatalogProvider>(snapshot.Providers.Length);
        foreach (var provider in snapshot.Providers)
        {
            if (provider.Enabled)
            {
                providers.TryAdd(provider.Id, provider);
            }
        }

        _models = models.ToFrozenDictionary(StringComparer.Ordinal);
        _providers = providers.ToFrozenDictionary();
    }

    public CatalogSnapshot Snapshot { get; }

    /// <summary>The enabled model of that exact name (names are case-sensitive), or null.</summary>
    public CatalogModel? EnabledModel(string name) => _models.GetValueOrDefault(name);

    /// <summary>The enabled provider with that id, or null.</summary>
    public CatalogProvider? EnabledProvider(Guid id) => _providers.GetValueOrDefault(id);
}
