using Microsoft.Extensions.DependencyInjection;
using Odock.Cluster;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Grains.Budgets;
using Odock.Testing.Cluster;
using OpenAI.Chat;

namespace Odock.Gateway.Tests;

/// <summary>
/// A settlement that the silos have not answered yet when the client has its whole answer: the request ends without it,
/// and a graceful stop waits for it; one the cluster could not take is sent again. Budget settlements are held back or
/// failed by a grain factory that stands between the gateway and the real budget grains, as a slow round trip to a
/// silo or a silo that is down would.
/// </summary>
public sealed class SettlementTests
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, OutputPerMillion = 8m };

    [Fact]
    public async Task The_next_request_on_a_connection_does_not_wait_for_the_previous_ones_settlement()
    {
        var held = new HeldSettlements();
        await using var gateway = await StartAsync(held);
        var budget = await gateway.Host.Seed.AddBudgetAsync(LimitScope.Organisation, gateway.Host.Seed.Organisation.Id, 100m, "org-monthly");
        var chat = gateway.Host.Chat("support-fast", gateway.Secret);

        var first = await chat.CompleteChatAsync([new UserChatMessage("First question")]);
        await held.WaitForAsync(1);
        // One keep-alive connection: the second request starts only when the first request's handler has returned.
        // Bounded only so that a regression fails instead of hanging; it answers in milliseconds.
        var second = await chat.CompleteChatAsync([new UserChatMessage("Second question")]).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("mock", second.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.Equal(0, held.Settled);
        held.Open();
        var rows = await gateway.Host.LedgerAsync(2);
        await TestCluster.WaitUntilAsync(async () => (await gateway.Host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status()).Open == 0m, "both reservations to be settled");
        var status = await gateway.Host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(rows.Sum(row => row.Cost), status.Settled);
        Assert.Equal(2, held.Settled);
        Assert.NotNull(first.Value);
    }

    [Fact]
    public async Task A_graceful_stop_waits_for_settlements_still_on_their_way()
    {
        var held = new HeldSettlements();
        var gateway = await StartAsync(held);
        await using (gateway)
        {
            await gateway.Host.Seed.AddBudgetAsync(LimitScope.Organisation, gateway.Host.Seed.Organisation.Id, 100m, "org-monthly");
            await gateway.Host.Chat("support-fast", gateway.Secret).CompleteChatAsync([new UserChatMessage("A question")]);
            await held.WaitForAsync(1);

            var stopping = gateway.Host.StopAsync();
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var stoppedEarly = stopping.IsCompleted;
            held.Open();
            await stopping;

            Assert.False(stoppedEarly, "the host stopped with a settlement unanswered");
            Assert.Equal(1, held.Settled);
        }
    }

    [Fact]
    public async Task A_settlement_the_cluster_could_not_take_is_sent_again_until_it_is_charged_once()
    {
        var failing = new FailingSettlements(failures: 2);
        await using var gateway = await StartAsync(failing.SettleAsync);
        var budget = await gateway.Host.Seed.AddBudgetAsync(LimitScope.Organisation, gateway.Host.Seed.Organisation.Id, 100m, "org-monthly");

        var answer = await gateway.Host.Chat("support-fast", gateway.Secret).CompleteChatAsync([new UserChatMessage("A question")]);

        Assert.Contains("mock", answer.Value.Content[0].Text, StringComparison.Ordinal);
        var row = Assert.Single(await gateway.Host.LedgerAsync(1));
        await TestCluster.WaitUntilAsync(async () => (await gateway.Host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status()).Open == 0m, "the reservation to be settled");
        var status = await gateway.Host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(row.Cost, status.Settled);
        Assert.Equal(3, failing.Attempts);
    }

    private static Task<SeededChatGateway> StartAsync(HeldSettlements held) => StartAsync(held.SettleAsync);

    private static Task<SeededChatGateway> StartAsync(Func<IBudgetGrain, string, decimal, ValueTask<ReservationReply>> settle) =>
        SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"), services: services =>
        {
            var runtime = services.Last(d => d.ServiceType == typeof(IGrainFactory));
            services.Remove(runtime);
            services.AddSingleton<IGrainFactory>(sp => new HoldingGrainFactory((IGrainFactory)runtime.ImplementationFactory!(sp), settle));
        });

    /// <summary>The first <c>failures</c> budget settlements fail as a call the cluster could not complete; later ones go through.</summary>
    private sealed class FailingSettlements(int failures)
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public async ValueTask<ReservationReply> SettleAsync(IBudgetGrain budget, string reservationId, decimal actual)
        {
            if (Interlocked.Increment(ref _attempts) <= failures)
            {
                await Task.Yield();
                throw new ClusterUnavailableException("no silo serves the budget's partition right now");
            }

            return await budget.Settle(reservationId, actual);
        }
    }

    /// <summary>Budget settlements wait here until <see cref="Open"/>; every other call goes straight through.</summary>
    private sealed class HeldSettlements
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _waiting;
        private int _settled;

        public int Settled => Volatile.Read(ref _settled);

        public void Open() => _gate.TrySetResult();

        public Task WaitForAsync(int count) => TestCluster.WaitUntilAsync(() => Volatile.Read(ref _waiting) >= count, $"{count} settlements to be held");

        public async ValueTask<ReservationReply> SettleAsync(IBudgetGrain budget, string reservationId, decimal actual)
        {
            Interlocked.Increment(ref _waiting);
            await _gate.Task;
            var reply = await budget.Settle(reservationId, actual);
            Interlocked.Increment(ref _settled);
            return reply;
        }
    }

    /// <summary>Hands out budgets whose settlements go through <c>settle</c>; every other grain as the runtime does.</summary>
    private sealed class HoldingGrainFactory(IGrainFactory runtime, Func<IBudgetGrain, string, decimal, ValueTask<ReservationReply>> settle) : IGrainFactory
    {
        public TGrain Get<TGrain>(string key)
            where TGrain : class, IGrainWithStringKey
        {
            var grain = runtime.Get<TGrain>(key);
            return grain is IBudgetGrain budget ? (TGrain)(object)new HeldBudget(budget, settle) : grain;
        }
    }

    private sealed class HeldBudget(IBudgetGrain budget, Func<IBudgetGrain, string, decimal, ValueTask<ReservationReply>> settle) : IBudgetGrain
    {
        public ValueTask<ReservationReply> Reserve(string reservationId, decimal amount, int ttlSeconds) => budget.Reserve(reservationId, amount, ttlSeconds);

        public ValueTask<ReservationReply> Settle(string reservationId, decimal actual) => settle(budget, reservationId, actual);

        public ValueTask<ReservationReply> Release(string reservationId) => budget.Release(reservationId);

        public Task<LimitStatus> Status() => budget.Status();

        public Task Refresh() => budget.Refresh();
    }
}
