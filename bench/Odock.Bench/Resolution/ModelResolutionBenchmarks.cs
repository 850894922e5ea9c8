using BenchmarkDotNet.Attributes;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;
using Odock.Domain.Providers;
using Odock.Gateway.Resolution;
using Odock.Grains.Catalog;

namespace Odock.Bench.Resolution;

/// <summary>
/// What finding a request's model and its provider costs in an organisation's catalog of <see cref="Models"/> models
/// (a quarter of them disabled, names alike up to their last characters, as generated names are): the scan the
/// gateway did before, the index it keeps now, and building that index, which happens once per catalog version.
/// The model looked up sits half-way through the catalog.
/// </summary>
[MemoryDiagnoser]
public class ModelResolutionBenchmarks
{
    private CatalogSnapshot _snapshot = null!;
    private CatalogIndex _index = null!;
    private string _wanted = null!;

    [Params(10, 100, 1000)]
    public int Models { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var providers = Enumerable.Range(0, 8)
            .Select(i => new CatalogProvider(Guid.CreateVersion7(), $"provider-{i}", ProviderType.OpenAiCompatible, "http://127.0.0.1:1", [], Enabled: true))
            .ToArray();
        var models = Enumerable.Range(0, Models)
            .Select(i => new CatalogModel(
                Guid.CreateVersion7(), $"team-assistant-model-{i:D5}", $"upstream-{i}", providers[i % providers.Length].Id, null, ModelType.Chat,
                ["chat"], ModelPriceSchedule.Free, ResourcePolicy.None, Enabled: i % 4 != 3))
            .ToArray();
        _snapshot = new CatalogSnapshot(Guid.CreateVersion7(), 1, models, providers);
        _index = new CatalogIndex(_snapshot);
        _wanted = models[Models / 2 - (Models / 2 % 4 == 3 ? 1 : 0)].Name;
    }

    [Benchmark(Baseline = true)]
    public CatalogProvider? Scan()
    {
        var model = _snapshot.Models.FirstOrDefault(m => m.Enabled && string.Equals(m.Name, _wanted, StringComparison.Ordinal));
        return model is null ? null : _snapshot.Providers.FirstOrDefault(p => p.Id == model.ProviderId && p.Enabled);
    }

    [Benchmark]
    public CatalogProvider? Index()
    {
        var model = _index.EnabledModel(_wanted);
        return model is null ? null : _index.EnabledProvider(model.ProviderId);
    }

    [Benchmark]
    public object BuildIndex() => new CatalogIndex(_snapshot);
}
