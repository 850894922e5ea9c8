using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Odock.Cluster;
using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Periods;
using Odock.Domain.Policies;
using Odock.Grains.ApiKeys;
using Odock.Grains.Budgets;
using Odock.Grains.Governance;
using Odock.Storage.Connections;
using Odock.Storage.Store;
using Odock.Testing.Cluster;
using Xunit.Abstractions;

using Odock.Testing.Governance;

namespace Odock.Grains.Tests.Governance;

/// <summary>
/// Exactness across the cluster: three silos on the real PostgreSQL that scripts/test.sh starts, and two independent
/// clients standing for two gateway replicas. Every limit lives in exactly one grain, so replicas never multiply it.
/// </summary>
[Collection("governance-cluster")]
public sealed class ClusterGovernanceTests(ITestOutputHelper output)
{
    private const string Address = "203.0.113.7";

    [Fact]
    public async Task Two_thousand_concurrent_reservations_of_a_cent_against_ten_dollars_admit_exactly_one_thousand()
    {
        await using var world = await World.StartAsync();
        var (secret, _) = await world.Seed.AddKeyAsync();
        var budget = await world.Seed.AddBudgetAsync(LimitScope.Organisation, world.Seed.Organisation.Id, 10.00m, "org-lifetime", PeriodKind.Lifetime);
        var grant = (await world.Gateways[0].AdmitAsync(secret, Address, 10)).Grant!;

        var first = await ReserveManyAsync(world, grant, Enumerable.Range(0, 2_000).Select(i => $"a{i}"));
        var status = await world.Gateways[1].Budget(budget.Id).Status();

        Assert.Equal(1_000, first.Count);
        Assert.Equal(10.00m, status.Open);
        Assert.True(status.Settled + status.Open <= 10.00m);

        await Parallel.ForEachAsync(first.Take(500), async (id, _) => await world.Gateways[id.Length % 2].SettleAsync(grant, id, 0.004m, served: true, 10));
        var second = await ReserveManyAsync(world, grant, Enumerable.Range(0, 400).Select(i => $"b{i}"));
        status = await world.Gateways[0].Budget(budget.Id).Status();

        Assert.Equal(300, second.Count);
        Assert.Equal(2.00m, status.Settled);
        Assert.Equal(8.00m, status.Open);
        Assert.Equal(0m, status.Overspend);
    }

    [Fact]
    public async Task Killing_the_budget_owner_mid_run_overspends_at_most_what_was_in_flight_and_recovers_the_ledger_sum()
    {
        await using var world = await World.StartAsync();
        var (secret, key) = await world.Seed.AddKeyAsync();
        var budget = await world.Seed.AddBudgetAsync(LimitScope.Team, world.Seed.Team.Id, 10.00m, "team-lifetime", PeriodKind.Lifetime);
        var grant = (await world.Gateways[0].AdmitAsync(secret, Address, 10)).Grant!;
        var charged = 0;
        var refusedWorkers = 0;
        var sequence = 0;

        var workers = Enumerable.Range(0, 32).Select(worker => Task.Run(async () =>
        {
            var gateway = world.Gateways[worker % 2];
            while (true)
            {
                var id = $"w{worker}-{Interlocked.Increment(ref sequence)}";
                var refusal = await Retry(() => gateway.ReserveAsync(grant, id, 0.01m, 10, TimeSpan.FromMinutes(2)));
                if (refusal is not null)
                {
                    Interlocked.Increment(ref refusedWorkers);
                    return;
                }

                await Task.Delay(5);
                await world.Seed.AppendUsageAsync(world.Seed.UsageOf(key, id, 0.01m, DateTimeOffset.UtcNow));
                await Retry(async () =>
                {
                    await gateway.SettleAsync(grant, id, 0.01m, served: true, 15);
                    return (Refusal?)null;
                });
                Interlocked.Increment(ref charged);
            }
        })).ToArray();

        await TestCluster.WaitUntilAsync(() => Volatile.Read(ref charged) >= 300, "the run to get going");
        var victim = world.Cluster.OwnerOf("budget", budget.Id.ToString());
        var inFlight = (await world.Gateways[0].Budget(budget.Id).Status()).OpenCount;
        await victim.KillAsync();
        await Task.WhenAll(workers);

        var ledger = await LedgerSumAsync(world, world.Seed.Team.Id);
        var status = await world.Gateways[1].Budget(budget.Id).Status();
        output.WriteLine($"{charged} charged; {inFlight} reservations open when the owner was killed; ledger {ledger}, grain settled {status.Settled}, overspend {status.Overspend}");
        Assert.Equal(32, refusedWorkers);
        Assert.Equal(ledger, status.Settled);
        Assert.Equal(charged * 0.01m, ledger);
        // Each of the 32 workers holds at most one reservation at a time: that is all the kill can make the budget forget.
        Assert.True(ledger <= 10.00m + 32 * 0.01m, $"overspend beyond what can be in flight: {ledger}");
    }

    [Fact]
    public async Task A_hundred_per_minute_key_hammered_from_two_gateways_admits_exactly_one_hundred()
    {
        await using var world = await World.StartAsync();
        var (secret, _) = await world.Seed.AddKeyAsync(new ResourcePolicy { RequestsPerMinute = 100 });
        var admitted = 0;
        var retryAfter = new ConcurrentBag<long>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 600), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var admission = await world.Gateways[i % 2].AdmitAsync(secret, Address, 10);
            if (admission.Admitted)
            {
                Interlocked.Increment(ref admitted);
            }
            else
            {
                Assert.Equal(RefusalReason.RateLimited, admission.Refusal!.Reason);
                retryAfter.Add(admission.Refusal.RetryAfterMs);
            }
        });

        Assert.Equal(100, admitted);
        Assert.Equal(500, retryAfter.Count);
        Assert.All(retryAfter, ms => Assert.InRange(ms, 1, 60_000));
    }

    [Fact]
    public async Task A_concurrency_limit_of_five_holds_with_fifty_slow_requests_and_cancelled_ones_free_their_slot()
    {
        await using var world = await World.StartAsync();
        var (secret, _) = await world.Seed.AddKeyAsync(new ResourcePolicy { MaxConcurrency = 5 });
        var inFlight = 0;
        var peak = 0;
        var refusals = 0;

        await Parallel.ForEachAsync(Enumerable.Range(0, 50), new ParallelOptions { MaxDegreeOfParallelism = 50 }, async (i, _) =>
        {
            var gateway = world.Gateways[i % 2];
            var admission = await gateway.AdmitAsync(secret, Address, 10);
            while (await gateway.StartAsync(admission, null, $"slow-{i}", 10) is { } refusal)
            {
                Assert.Equal(RefusalReason.ConcurrencyLimited, refusal.Reason);
                Interlocked.Increment(ref refusals);
                await Task.Delay(20, CancellationToken.None);
            }

            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            var cancelled = i % 5 == 0;
            await Task.Delay(cancelled ? 10 : 150, CancellationToken.None);
            Interlocked.Decrement(ref inFlight);
            await gateway.CompleteAsync(admission, null, $"slow-{i}", cancelled ? 0 : 10);
        });

        output.WriteLine($"peak {peak} in flight, {refusals} refusals while waiting");
        Assert.Equal(5, peak);
        Assert.True(refusals > 0);
        var again = await world.Gateways[0].AdmitAsync(secret, Address, 10);
        for (var i = 0; i < 5; i++)
        {
            Assert.Null(await world.Gateways[i % 2].StartAsync(again, null, $"after-{i}", 10));
        }
    }

    [Fact]
    public async Task Revoking_a_key_takes_effect_on_every_gateway_as_soon_as_the_grain_is_told()
    {
        await using var world = await World.StartAsync();
        var (secret, key) = await world.Seed.AddKeyAsync();
        Assert.True((await world.Gateways[0].AdmitAsync(secret, Address, 10)).Admitted);
        Assert.True((await world.Gateways[1].AdmitAsync(secret, Address, 10)).Admitted);

        var revoking = Stopwatch.StartNew();
        await using (var session = await world.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.UpdateAsync(key with { Status = ApiKeyStatus.Revoked });
        }

        await world.Clients[1].Grains.Get<IApiKeyGrain>(key.Hash).Refresh();
        var first = await world.Gateways[0].AdmitAsync(secret, Address, 10);
        var second = await world.Gateways[1].AdmitAsync(secret, Address, 10);
        output.WriteLine($"revocation observed by both gateways {revoking.Elapsed.TotalMilliseconds:0.0} ms after the storage write");

        Assert.Equal(RefusalReason.Revoked, first.Refusal!.Reason);
        Assert.Equal(RefusalReason.Revoked, second.Refusal!.Reason);
    }

    [Fact]
    public async Task The_catalog_snapshot_crosses_the_wire_with_pricing_policies_and_providers()
    {
        await using var world = await World.StartAsync();
        var model = await world.Seed.AddModelAsync("support-fast", new ResourcePolicy { TokensPerMinute = 10_000, IpAllow = ["10.0.0.0/8"] });

        var snapshot = await world.Clients[0].Grains.Get<Catalog.IOrgCatalogGrain>(world.Seed.Organisation.Id.ToString()).GetIfChanged(0);

        var served = Assert.Single(snapshot!.Models);
        Assert.Equal(model.Id, served.Id);
        Assert.Equal(model.Pricing, served.Pricing);
        Assert.Equal(model.Policies, served.Policies);
        Assert.Equal(world.Seed.Provider.BaseUrl, Assert.Single(snapshot.Providers).BaseUrl);
    }

    [Fact]
    public async Task Stage_two_and_the_reservations_cost_one_request_to_each_silo_involved()
    {
        await using var world = await World.StartAsync();
        await world.Cluster.WaitForBalanceAsync();
        var (secret, _) = await world.Seed.AddKeyAsync();
        var model = await world.Seed.AddModelAsync("support-fast", new ResourcePolicy { MaxConcurrency = 100 });
        var budgets = new[]
        {
            await world.Seed.AddBudgetAsync(LimitScope.Team, world.Seed.Team.Id, 100m, "team-monthly"),
            await world.Seed.AddBudgetAsync(LimitScope.Organisation, world.Seed.Organisation.Id, 100m, "org-monthly"),
        };
        var gateway = world.Gateways[0];
        var admission = await gateway.AdmitAsync(secret, Address, 10);
        Assert.Null(await gateway.StartAndReserveAsync(admission, null, "warm", 0.01m, 10));
        Assert.Null(await gateway.StartAndReserveAsync(admission, model.Id, "warm-model", 0.01m, 10));
        var budgetOwners = budgets.Select(b => world.Cluster.OwnerOf("budget", b.Id.ToString()).Id).ToHashSet();
        var keyOwner = world.Cluster.OwnerOf("apikey", admission.KeyHash).Id;
        var modelOwner = world.Cluster.OwnerOf("modellimit", model.Id.ToString()).Id;
        using var requests = new CallRequests(world.Cluster.Silos);

        // No traffic limits on the model: the key's stage 2 travels with the reservations.
        Assert.Null(await gateway.StartAndReserveAsync(admission, null, "r1", 0.01m, 10));
        var together = budgetOwners.Append(keyOwner).Distinct().Count();
        Assert.Equal(together, await requests.SettledAsync(together));

        // A model with traffic limits: the key alone first, then the model with the reservations.
        requests.Reset();
        Assert.Null(await gateway.StartAndReserveAsync(admission, model.Id, "r2", 0.01m, 10));
        var keyFirst = 1 + budgetOwners.Append(modelOwner).Distinct().Count();
        Assert.Equal(keyFirst, await requests.SettledAsync(keyFirst));
    }

    [Fact]
    public async Task A_budgets_refusal_gives_back_the_holds_and_the_keys_slot_in_one_more_request_to_each_silo_involved()
    {
        await using var world = await World.StartAsync();
        await world.Cluster.WaitForBalanceAsync();
        var (secret, _) = await world.Seed.AddKeyAsync(new ResourcePolicy { MaxConcurrency = 1 });
        var team = await world.Seed.AddBudgetAsync(LimitScope.Team, world.Seed.Team.Id, 100m, "team-monthly");
        var org = await world.Seed.AddBudgetAsync(LimitScope.Organisation, world.Seed.Organisation.Id, 0.5m, "org-monthly");
        var gateway = world.Gateways[0];
        var admission = await gateway.AdmitAsync(secret, Address, 10);
        Assert.Null(await gateway.StartAndReserveAsync(admission, null, "warm", 0.01m, 10));
        await gateway.CompleteAsync(admission, null, "warm", 10);
        var ownerOf = (string type, string key) => world.Cluster.OwnerOf(type, key).Id;
        var keyOwner = ownerOf("apikey", admission.KeyHash);
        var teamOwner = ownerOf("budget", team.Id.ToString());
        var first = new[] { keyOwner, teamOwner, ownerOf("budget", org.Id.ToString()) }.Distinct().Count();
        var giveBack = new[] { keyOwner, teamOwner }.Distinct().Count();
        using var requests = new CallRequests(world.Cluster.Silos);

        // The organisation's budget refuses; the team's hold and the key's one slot go back together.
        Assert.Equal(RefusalReason.BudgetExceeded, (await gateway.StartAndReserveAsync(admission, null, "r1", 1m, 10))!.Reason);
        Assert.Equal(first + giveBack, await requests.SettledAsync(first + giveBack));
        Assert.Equal(0.01m, (await gateway.Budget(team.Id).Status()).Open);
        Assert.Null(await gateway.StartAndReserveAsync(admission, null, "r2", 0.01m, 10));
    }

    [Fact]
    public async Task A_remembered_grant_goes_to_the_key_with_stage_two_and_the_reservations_in_one_request_to_each_silo()
    {
        await using var world = await World.StartAsync();
        await world.Cluster.WaitForBalanceAsync();
        var (secret, _) = await world.Seed.AddKeyAsync();
        var budgets = new[]
        {
            await world.Seed.AddBudgetAsync(LimitScope.Team, world.Seed.Team.Id, 100m, "team-monthly"),
            await world.Seed.AddBudgetAsync(LimitScope.Organisation, world.Seed.Organisation.Id, 100m, "org-monthly"),
        };
        var gateway = world.Gateways[0];
        var first = await gateway.AdmitAsync(secret, Address, 10, provisional: true);
        Assert.False(first.Provisional);
        Assert.Null(await gateway.StartAndReserveAsync(first, null, "warm", 0.01m, 10));
        var owners = budgets.Select(b => world.Cluster.OwnerOf("budget", b.Id.ToString()).Id).Append(world.Cluster.OwnerOf("apikey", first.KeyHash).Id).Distinct().Count();
        using var requests = new CallRequests(world.Cluster.Silos);

        // The admission asks nobody; the key decides it in the same round as stage 2 and the reservations.
        var admission = await gateway.AdmitAsync(secret, Address, 10, provisional: true);
        Assert.True(admission.Provisional);
        Assert.Null(await gateway.StartAndReserveAsync(admission, null, "r1", 0.01m, 10));
        Assert.False(admission.Provisional);
        Assert.Equal(owners, await requests.SettledAsync(owners));
        Assert.Equal(0.02m, (await gateway.Budget(budgets[0].Id).Status()).Open);
    }

    private static async Task<List<string>> ReserveManyAsync(World world, KeyGrant grant, IEnumerable<string> ids)
    {
        var held = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (id, _) =>
        {
            var refusal = await world.Gateways[id.GetHashCode(StringComparison.Ordinal) & 1].ReserveAsync(grant, id, 0.01m, 10, TimeSpan.FromMinutes(5));
            if (refusal is null)
            {
                held.Add(id);
            }
            else
            {
                Assert.Equal(RefusalReason.BudgetExceeded, refusal.Reason);
            }
        });
        return [.. held];
    }

    private static async Task<decimal> LedgerSumAsync(World world, Guid teamId)
    {
        await using var session = await world.Seed.Store.OpenAsync();
        return (await session.Usage.TotalAsync(LimitScope.Team, teamId, DateTimeOffset.UnixEpoch, null)).CostIn("USD");
    }

    /// <summary>What a gateway does with a call the cluster could not complete: the same operation again, same id.</summary>
    private static async Task<Refusal?> Retry(Func<Task<Refusal?>> operation)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await operation();
            }
            catch (ClusterUnavailableException) when (attempt < 20)
            {
                await Task.Delay(100);
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current && Interlocked.CompareExchange(ref target, value, current) != current)
        {
            current = Volatile.Read(ref target);
        }
    }

    private sealed class World : IAsyncDisposable
    {
        private World(TestCluster cluster, TestClient[] clients, GovernanceSeed seed)
        {
            Cluster = cluster;
            Clients = clients;
            Gateways = clients.Select(c => new Gateway(c.Grains)).ToArray();
            Seed = seed;
        }

        public TestCluster Cluster { get; }

        public TestClient[] Clients { get; }

        public Gateway[] Gateways { get; }

        public GovernanceSeed Seed { get; }

        public static async Task<World> StartAsync()
        {
            var cluster = await TestCluster.StartAsync(3, services =>
            {
                services.AddSingleton<IOdockStore>(sp => new OdockStore(sp.GetRequiredService<IDbConnectionFactory>()));
                services.AddOdockGovernance();
            });
            var clients = new[] { await cluster.CreateClientAsync(), await cluster.CreateClientAsync() };
            var seed = await GovernanceSeed.CreateAsync(new OdockStore(new PostgresConnectionFactory(cluster.ConnectionString)));
            return new World(cluster, clients, seed);
        }

        public ValueTask DisposeAsync() => Cluster.DisposeAsync();
    }

    /// <summary>One gateway replica's view: the governance client over its own cluster client.</summary>
    private sealed class Gateway(IGrainFactory grains)
    {
        private readonly GovernanceClient _client = new(grains, TimeProvider.System);

        public IBudgetGrain Budget(Guid id) => grains.Get<IBudgetGrain>(id.ToString());

        public Task<Admission> AdmitAsync(string secret, string address, long payload, bool provisional = false) => _client.AdmitAsync(secret, address, payload, provisional).AsTask();

        public Task<Refusal?> StartAsync(Admission admission, Guid? model, string requestId, long tokens) => _client.StartAsync(admission, model, requestId, tokens).AsTask();

        public Task CompleteAsync(Admission admission, Guid? model, string requestId, long tokens) => _client.CompleteAsync(admission, model, requestId, tokens);

        public Task<Refusal?> StartAndReserveAsync(Admission admission, Guid? model, string requestId, decimal cost, long tokens) =>
            _client.StartAndReserveAsync(admission, model, requestId, cost, tokens, TimeSpan.FromMinutes(5)).AsTask();

        public Task<Refusal?> ReserveAsync(KeyGrant grant, string requestId, decimal cost, long tokens, TimeSpan lifetime) => _client.ReserveAsync(grant, requestId, cost, tokens, lifetime).AsTask();

        public Task SettleAsync(KeyGrant grant, string requestId, decimal cost, bool served, long tokens) => _client.SettleAsync(grant, requestId, cost, served, tokens);
    }

    /// <summary>
    /// Counts the requests for grain calls (one call, or a batch) that the given silos finished serving, from ASP.NET
    /// Core's own request metric of each silo. The two routes are the wire protocol's (docs/CLUSTER.md).
    /// </summary>
    private sealed class CallRequests : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public CallRequests(IEnumerable<TestSilo> silos)
        {
            var factories = silos.Select(silo => (object)silo.Services.GetRequiredService<IMeterFactory>()).ToHashSet();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "http.server.request.duration" && instrument.Meter.Scope is { } scope && factories.Contains(scope))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<double>((_, _, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag.Key == "http.route" && tag.Value is "/odock/cluster/v1/call" or "/odock/cluster/v1/calls")
                    {
                        Interlocked.Increment(ref _count);
                    }
                }
            });
            _listener.Start();
        }

        public void Reset() => Interlocked.Exchange(ref _count, 0);

        /// <summary>
        /// The count once it has reached <paramref name="expected"/> (a silo records a request just after it answers)
        /// and stayed there a moment, so one request too many is seen too.
        /// </summary>
        public async Task<long> SettledAsync(long expected)
        {
            await TestCluster.WaitUntilAsync(() => Interlocked.Read(ref _count) >= expected, $"{expected} call requests");
            await Task.Delay(200);
            return Interlocked.Read(ref _count);
        }

        public void Dispose() => _listener.Dispose();
    }
}
