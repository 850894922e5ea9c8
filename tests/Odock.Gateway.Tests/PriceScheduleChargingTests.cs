using OpenAI.Chat;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;
using Odock.Domain.Providers;
using Odock.Grains.Budgets;

namespace Odock.Gateway.Tests;

/// <summary>
/// A model whose price changed: the gateway reserves and charges the entry in effect when the request arrived, never an
/// earlier one, and not a later one that took effect while the provider was answering.
/// </summary>
public sealed class PriceScheduleChargingTests : IAsyncLifetime
{
    private static readonly ModelPricing Before = new() { Currency = "USD", InputPerMillion = 100m, OutputPerMillion = 400m };
    private static readonly ModelPricing Current = new() { Currency = "USD", EffectiveFrom = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), InputPerMillion = 2m, OutputPerMillion = 8m };

    private GatewayHost _host = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        var mock = await _host.Seed.AddProviderAsync("offline", ProviderType.Mock, null);
        var model = await _host.Seed.AddModelAsync("repriced", ResourcePolicy.None, mock, "mock-fast-1", new ModelPriceSchedule { Entries = [Current, Before] });
        (_secret, _) = await _host.Seed.AddKeyAsync(modelGrants: [model.Id]);
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task A_price_change_that_takes_effect_during_the_call_does_not_change_its_charge()
    {
        // The provider takes longer than the time left before the new price, so the call spans the change.
        var slow = await _host.Seed.AddProviderAsync("slow-offline", ProviderType.Mock, null, settings: new Dictionary<string, string> { ["latency_ms"] = "3000" });
        var later = Current with { EffectiveFrom = DateTimeOffset.UtcNow.AddSeconds(1.5) };
        var model = await _host.Seed.AddModelAsync("repriced-soon", ResourcePolicy.None, slow, "mock-slow-1", new ModelPriceSchedule { Entries = [later, Before] });
        var (secret, _) = await _host.Seed.AddKeyAsync(name: "repriced-soon-key", modelGrants: [model.Id]);
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 10m, "org-monthly");

        var completion = (await _host.Chat("repriced-soon", secret).CompleteChatAsync([new UserChatMessage("What does this cost?")])).Value;

        var usage = new TokenUsage { InputTokens = completion.Usage.InputTokenCount, OutputTokens = completion.Usage.OutputTokenCount };
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.True(DateTimeOffset.UtcNow >= later.EffectiveFrom, "the call ended after the new price took effect");
        Assert.Equal(Before.Cost(usage).Total, row.Cost);
        Assert.Equal(row.Cost, (await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status()).Settled);
    }

    [Fact]
    public async Task A_call_is_charged_at_the_price_in_effect_now_and_the_budget_settles_the_same_amount()
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 10m, "org-monthly");

        var completion = (await _host.Chat("repriced", _secret).CompleteChatAsync([new UserChatMessage("What does this cost?")])).Value;

        var usage = new TokenUsage { InputTokens = completion.Usage.InputTokenCount, OutputTokens = completion.Usage.OutputTokenCount };
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(Current.Cost(usage).Total, row.Cost);
        Assert.NotEqual(Before.Cost(usage).Total, row.Cost);
        Assert.Equal(row.Cost, (await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status()).Settled);
    }
}
