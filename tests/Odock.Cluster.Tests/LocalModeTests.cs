using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Odock.Cluster.Activation;
using Odock.Cluster.Tests.Grains;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Testing;

namespace Odock.Cluster.Tests;

/// <summary>One process on SQLite: every partition local, calls in-process, the same turn-based semantics.</summary>
public sealed class LocalModeTests : IAsyncLifetime
{
    private readonly SqliteTestDatabase _database = new();
    private readonly ActivationRegistry _registry = new();

    public async Task InitializeAsync() => await new MigrationRunner(_database.CreateConnectionFactory()).ApplyAsync();

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Counter_state_persists_across_processes()
    {
        await using (var first = BuildProvider())
        {
            var counter = first.GetRequiredService<IGrainFactory>().Get<ICounterGrain>("visits");
            await counter.Increment("op-1");
            await counter.Increment("op-2");
            Assert.Equal(2, await counter.Increment("op-2"));
        }

        await using var second = BuildProvider();
        var again = second.GetRequiredService<IGrainFactory>().Get<ICounterGrain>("visits");

        Assert.Equal(2, await again.Peek());
        Assert.Equal(3, await again.Increment("op-3"));
    }

    [Fact]
    public async Task Calls_on_one_activation_run_one_at_a_time()
    {
        await using var provider = BuildProvider();
        var grain = provider.GetRequiredService<IGrainFactory>().Get<ITurnGrain>("serial");

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => grain.Work(5)));

        Assert.Equal(1, await grain.MaxConcurrency());
    }

    [Fact]
    public async Task Interleaving_methods_run_alongside_other_calls()
    {
        await using var provider = BuildProvider();
        var grain = provider.GetRequiredService<IGrainFactory>().Get<ITurnGrain>("parallel");

        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => grain.Interleaved(100)));

        Assert.True(await grain.MaxConcurrency() > 1);
    }

    [Fact]
    public async Task Different_grains_run_concurrently_and_exceptions_reach_the_caller()
    {
        await using var provider = BuildProvider();
        var factory = provider.GetRequiredService<IGrainFactory>();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => factory.Get<ITurnGrain>("failing").Fail("boom"));
        var keys = await Task.WhenAll(Enumerable.Range(0, 100).Select(i => factory.Get<IProbeGrain>($"probe-{i}").WhereAreYou()));

        Assert.Equal("boom", error.Message);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"probe-{i}"), keys);
        Assert.All(_registry.Activations.Values, count => Assert.Equal(1, count));
    }

    [Fact]
    public async Task Idle_activations_are_collected_after_the_idle_age()
    {
        var time = new ManualTimeProvider();
        await using var provider = BuildProvider(time, options => options.IdleCollectionAge = TimeSpan.FromMinutes(15));
        var factory = provider.GetRequiredService<IGrainFactory>();
        var catalog = provider.GetRequiredService<ActivationCatalog>();
        await factory.Get<IProbeGrain>("old").WhereAreYou();
        time.Advance(TimeSpan.FromMinutes(10));
        await factory.Get<IProbeGrain>("recent").WhereAreYou();

        time.Advance(TimeSpan.FromMinutes(6));
        var collected = await catalog.CollectIdleAsync(CancellationToken.None);

        Assert.Equal(1, collected);
        Assert.Equal(1, _registry.Deactivations["old"]);
        Assert.False(_registry.Deactivations.ContainsKey("recent"));
        Assert.Equal(1, catalog.Count);
    }

    [Fact]
    public async Task Activation_cap_sheds_the_least_recently_used()
    {
        var time = new ManualTimeProvider();
        await using var provider = BuildProvider(time, options => options.MaxActivations = 10);
        var factory = provider.GetRequiredService<IGrainFactory>();
        var catalog = provider.GetRequiredService<ActivationCatalog>();
        for (var i = 0; i < 10; i++)
        {
            await factory.Get<IProbeGrain>($"g{i}").WhereAreYou();
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await factory.Get<IProbeGrain>("g0").WhereAreYou();
        await factory.Get<IProbeGrain>("newcomer").WhereAreYou();

        Assert.True(catalog.Count <= 10);
        Assert.Equal(1, _registry.Deactivations["g1"]);
        Assert.False(_registry.Deactivations.ContainsKey("g0"));
    }

    private ServiceProvider BuildProvider(TimeProvider? time = null, Action<ClusterOptions>? configure = null)
    {
        var options = new ClusterOptions();
        configure?.Invoke(options);
        var services = new ServiceCollection();
        services.AddLogging();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        services.AddSingleton<IDbConnectionFactory>(_database.CreateConnectionFactory());
        TestGrainRegistration.With(_registry)(services);
        services.AddOdockLocalCluster(options);
        return services.BuildServiceProvider();
    }
}

/// <summary>A clock tests move by hand; timers are not needed by the tests that use it.</summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private long _ticks = TimeSpan.FromDays(1).Ticks;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero).AddTicks(Interlocked.Read(ref _ticks));
}
