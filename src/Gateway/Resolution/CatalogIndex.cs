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
    private readonly FrozenDictionary<Guid, ModelAccess> _access;

    public CatalogIndex(CatalogSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Snapshot = snapshot;
        var models = new Dictionary<string, CatalogModel>(snapshot.Models.Length, StringComparer.Ordinal);
        var access = new Dictionary<Guid, ModelAccess>();
        foreach (var model in snapshot.Models)
        {
            // Names are unique in an organisation; should two enabled models ever share one, the first wins, as it did.
            if (model.Enabled)
            {
                models.TryAdd(model.Name, model);
                if (ModelAccess.Of(model.Policies) is { } conditions)
                {
                    access[model.Id] = conditions;
                }
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
        _access = access.ToFrozenDictionary();
    }

    public CatalogSnapshot Snapshot { get; }

    /// <summary>The enabled model of that exact name (names are case-sensitive), or null.</summary>
    public CatalogModel? EnabledModel(string name) => _models.GetValueOrDefault(name);

    /// <summary>What the model's policy requires of the request itself, or null when it requires nothing.</summary>
    public ModelAccess? AccessOf(Guid modelId) => _access.GetValueOrDefault(modelId);

    /// <summary>The enabled provider with that id, or null.</summary>
    public CatalogProvider? EnabledProvider(Guid id) => _providers.GetValueOrDefault(id);
}
