using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Quotas;
using Odock.Grains.ApiKeys;
using Odock.Grains.Budgets;
using Odock.Grains.Governance;

using Odock.Testing.Governance;

namespace Odock.Grains.Tests.Governance;

/// <summary>Admission, staged limits, budgets and quotas in one all-in-one process on SQLite, with a hand-moved clock.</summary>
public sealed class LocalGovernanceTests
{
    private const string Client = "203.0.113.7";

    [Fact]
    public async Task A_valid_key_is_admitted_with_its_owner_grants_and_every_applicable_budget_and_quota()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync();
        var keyBudget = await local.Seed.AddBudgetAsync(LimitScope.ApiKey, key.Id, 5m, "key-monthly");
        var teamBudget = await local.Seed.AddBudgetAsync(LimitScope.Team, local.Seed.Team.Id, 50m, "team-monthly");
        var orgBudget = await local.Seed.AddBudgetAsync(LimitScope.Organisation, local.Seed.Organisation.Id, 500m, "org-monthly");
        var quota = await local.Seed.AddQuotaAsync(LimitScope.User, local.Seed.User.Id, QuotaUnit.Requests, 1000, "user-requests");
        var otherTeam = await local.Seed.AddBudgetAsync(LimitScope.Team, Guid.NewGuid(), 1m, "someone-elses");

        var admission = await local.Client.AdmitAsync(secret, Client, 1000);

        Assert.True(admission.Admitted);
        Assert.Equal(key.Id, admission.Grant!.KeyId);
        Assert.Equal(local.Seed.Team.Id, admission.Grant.TeamId);
        Assert.Equal(new[] { keyBudget.Id, teamBudget.Id, orgBudget.Id }.Order(), admission.Grant.BudgetIds.Order());
        Assert.DoesNotContain(otherTeam.Id, admission.Grant.BudgetIds);
        Assert.Equal([new QuotaLink(quota.Id, QuotaUnit.Requests)], admission.Grant.Quotas);
    }

    [Fact]
    public async Task A_keys_last_use_reaches_storage_on_the_next_flush_and_when_the_process_stops_and_never_moves_back()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync();
        var (_, unused) = await local.Seed.AddKeyAsync(name: "never-used");

        Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
        var firstUse = local.Clock.GetUtcNow();
        Assert.Null(await LastUsedAsync(local, key.Id));
        await local.KeyUses.FlushAsync();
        Assert.Equal(firstUse, await LastUsedAsync(local, key.Id));
        Assert.Null(await LastUsedAsync(local, unused.Id));

        // A later use is written when the process stops; an older one reported afterwards does not set the time back.
        local.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
        var laterUse = local.Clock.GetUtcNow();
        await local.RestartAsync();
        Assert.Equal(laterUse, await LastUsedAsync(local, key.Id));
        local.KeyUses.Note(key.Id, firstUse);
        await local.KeyUses.FlushAsync();
        Assert.Equal(laterUse, await LastUsedAsync(local, key.Id));
    }

    [Fact]
    public async Task A_refused_request_is_not_a_use()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync(limits: new ResourcePolicy { MaxPayloadBytes = 100 });

        Assert.False((await local.Client.AdmitAsync(secret, Client, 1000)).Admitted);
        await local.KeyUses.FlushAsync();

        Assert.Null(await LastUsedAsync(local, key.Id));
    }

    private static async Task<DateTimeOffset?> LastUsedAsync(LocalGovernance local, Guid keyId)
    {
        await using var session = await local.Seed.Store.OpenAsync();
        return (await session.ApiKeys.GetAsync(keyId))!.LastUsedAt;
    }

    [Theory]
    [InlineData(null, RefusalReason.UnknownKey, 401)]
    [InlineData("odk-short", RefusalReason.UnknownKey, 401)]
    [InlineData("odk-0000000000000000000000000000000000000000000", RefusalReason.UnknownKey, 401)]
    public async Task Missing_malformed_and_unknown_keys_are_refused_with_401(string? secret, RefusalReason reason, int status)
    {
        await using var local = await LocalGovernance.StartAsync();

        var admission = await local.Client.AdmitAsync(secret, Client, 10);

        Assert.False(admission.Admitted);
        Assert.Equal(reason, admission.Refusal!.Reason);
        Assert.Equal(status, admission.Refusal.HttpStatus);
    }

    [Fact]
    public async Task An_unknown_key_is_remembered_without_rereading_storage_until_refreshed()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync();
        await using (var session = await local.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.DeleteAsync(key.Id);
        }

        Assert.Equal(RefusalReason.UnknownKey, (await local.Client.AdmitAsync(secret, Client, 10)).Refusal!.Reason);
        await using (var session = await local.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.InsertAsync(key);
        }

        Assert.Equal(RefusalReason.UnknownKey, (await local.Client.AdmitAsync(secret, Client, 10)).Refusal!.Reason);
        await local.Grains.Get<IApiKeyGrain>(key.Hash).Refresh();
        Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
    }

    [Fact]
    public async Task Repeated_failures_from_one_address_block_it_and_only_it()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, _) = await local.Seed.AddKeyAsync();
        var attacker = "198.51.100.66";

        var refusals = new List<Refusal>();
        for (var i = 0; i < 25; i++)
        {
            refusals.Add((await local.Client.AdmitAsync($"odk-{i:D43}", attacker, 10)).Refusal!);
        }

        Assert.All(refusals.Take(20), r => Assert.Equal(RefusalReason.UnknownKey, r.Reason));
        Assert.All(refusals.Skip(20), r => Assert.Equal(RefusalReason.TooManyFailures, r.Reason));
        Assert.InRange(refusals[^1].RetryAfterMs, 1, 60_000);
        Assert.Equal(RefusalReason.TooManyFailures, (await local.Client.AdmitAsync(secret, attacker, 10)).Refusal!.Reason);
        Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
    }

    [Fact]
    public async Task Revoked_expired_blocked_address_and_oversized_payload_are_refused_with_their_own_reason()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (revoked, revokedKey) = await local.Seed.AddKeyAsync(name: "revoked");
        await using (var session = await local.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.UpdateAsync(revokedKey with { Status = ApiKeyStatus.Revoked });
        }

        var (expiring, _) = await local.Seed.AddKeyAsync(name: "expiring", expiresAt: local.Clock.GetUtcNow().AddMinutes(5));
        var (fenced, _) = await local.Seed.AddKeyAsync(new ResourcePolicy { IpAllow = ["10.0.0.0/8"], IpBlock = ["10.9.0.0/16"], MaxPayloadBytes = 1024 }, "fenced");

        Assert.Equal(RefusalReason.Revoked, (await local.Client.AdmitAsync(revoked, Client, 10)).Refusal!.Reason);
        Assert.True((await local.Client.AdmitAsync(expiring, Client, 10)).Admitted);
        local.Clock.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(RefusalReason.Expired, (await local.Client.AdmitAsync(expiring, Client, 10)).Refusal!.Reason);
        Assert.True((await local.Client.AdmitAsync(fenced, "10.1.2.3", 1024)).Admitted);
        Assert.Equal(RefusalReason.AddressNotAllowed, (await local.Client.AdmitAsync(fenced, "10.9.2.3", 10)).Refusal!.Reason);
        Assert.Equal(RefusalReason.AddressNotAllowed, (await local.Client.AdmitAsync(fenced, Client, 10)).Refusal!.Reason);
        var tooBig = (await local.Client.AdmitAsync(fenced, "10.1.2.3", 1025)).Refusal!;
        Assert.Equal(RefusalReason.PayloadTooLarge, tooBig.Reason);
        Assert.Equal(413, tooBig.HttpStatus);
    }

    [Fact]
    public async Task Request_windows_slide_exactly_and_say_when_to_retry()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, _) = await local.Seed.AddKeyAsync(new ResourcePolicy { RequestsPerMinute = 3 });

        for (var i = 0; i < 3; i++)
        {
            Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
            local.Clock.Advance(TimeSpan.FromSeconds(10));
        }

        var refused = (await local.Client.AdmitAsync(secret, Client, 10)).Refusal!;
        Assert.Equal(RefusalReason.RateLimited, refused.Reason);
        Assert.Equal("requests_per_minute", refused.Limit);
        Assert.Equal(30_000, refused.RetryAfterMs);
        local.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
        Assert.False((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
    }

    [Fact]
    public async Task Token_windows_hold_estimates_and_settle_to_actual_tokens()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, _) = await local.Seed.AddKeyAsync(new ResourcePolicy { TokensPerMinute = 1000 });
        var admission = await local.Client.AdmitAsync(secret, Client, 10);

        Assert.Null(await local.Client.StartAsync(admission, null, "r1", 800));
        var refused = await local.Client.StartAsync(admission, null, "r2", 300);
        Assert.Equal(RefusalReason.TokenLimited, refused!.Reason);
        Assert.Equal("tokens_per_minute", refused.Limit);
        await local.Client.CompleteAsync(admission, null, "r1", 500);
        Assert.Null(await local.Client.StartAsync(admission, null, "r2", 300));
        Assert.Equal(RefusalReason.TokenLimited, (await local.Client.StartAsync(admission, null, "r3", 5000))!.Reason);
    }

    [Fact]
    public async Task Model_limits_are_shared_by_every_key_and_a_model_refusal_gives_the_key_slot_back()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (model, a, b) = await TwoKeysOnAModelOfOneSlotAsync(local);

        Assert.Null(await local.Client.StartAsync(b, model.Id, "b1", 10));
        var refused = await local.Client.StartAsync(a, model.Id, "a1", 10);
        Assert.Equal(RefusalReason.ConcurrencyLimited, refused!.Reason);
        Assert.Contains("support-fast", refused.Message, StringComparison.Ordinal);
        await local.Client.CompleteAsync(b, model.Id, "b1", 10);
        Assert.Null(await local.Client.StartAsync(a, model.Id, "a1", 10));
    }

    [Fact]
    public async Task A_model_refusal_in_the_reservation_round_wins_and_gives_back_what_the_budgets_took()
    {
        await using var local = await LocalGovernance.StartAsync();
        var model = await local.Seed.AddModelAsync("support-fast", new ResourcePolicy { MaxConcurrency = 1 });
        var (first, _) = await local.Seed.AddKeyAsync(name: "first");
        var (second, _) = await local.Seed.AddKeyAsync(name: "second");
        var org = await local.Seed.AddBudgetAsync(LimitScope.Organisation, local.Seed.Organisation.Id, 1m, "org-monthly");
        var a = await local.Client.AdmitAsync(first, Client, 10);
        var b = await local.Client.AdmitAsync(second, Client, 10);

        // Neither key has limits of its own: each passes its stage 2, then the model's goes with the reservations.
        Assert.Null(await local.Client.StartAndReserveAsync(b, model.Id, "b1", 0.25m, 10, TimeSpan.FromMinutes(5)));
        // The model is full; the budget has room for 0.50 and takes it, then gives it back.
        var refused = await local.Client.StartAndReserveAsync(a, model.Id, "a1", 0.50m, 10, TimeSpan.FromMinutes(5));
        // The budget would refuse 0.80 too: the model's refusal, the earlier stage, is the one reported.
        var both = await local.Client.StartAndReserveAsync(a, model.Id, "a2", 0.80m, 10, TimeSpan.FromMinutes(5));

        await AssertTheEarlierStageWonAsync(local, refused, both, "support-fast", org.Id);
    }

    [Fact]
    public async Task Stage_two_with_the_reservations_reports_the_keys_refusal_first_and_gives_the_budgets_holds_back()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, _) = await local.Seed.AddKeyAsync(new ResourcePolicy { MaxConcurrency = 1 });
        var org = await local.Seed.AddBudgetAsync(LimitScope.Organisation, local.Seed.Organisation.Id, 1m, "org-monthly");
        var admission = await local.Client.AdmitAsync(secret, Client, 10);

        Assert.Null(await local.Client.StartAndReserveAsync(admission, null, "r1", 0.25m, 10, TimeSpan.FromMinutes(5)));
        // The key's one slot is taken. The budget has room for 0.50 and takes it, then gives it back.
        var refused = await local.Client.StartAndReserveAsync(admission, null, "r2", 0.50m, 10, TimeSpan.FromMinutes(5));
        // The budget would refuse 0.90 too: the key's refusal, the earlier stage, is the one reported.
        var both = await local.Client.StartAndReserveAsync(admission, null, "r3", 0.90m, 10, TimeSpan.FromMinutes(5));

        await AssertTheEarlierStageWonAsync(local, refused, both, "API key", org.Id);

        // A budget's refusal gives the key's slot back too, in the same round as the holds: the next request gets it.
        await local.Client.CompleteAsync(admission, null, "r1", 10);
        var budgetRefused = await local.Client.StartAndReserveAsync(admission, null, "r4", 0.90m, 10, TimeSpan.FromMinutes(5));
        Assert.Equal(RefusalReason.BudgetExceeded, budgetRefused!.Reason);
        Assert.Null(await local.Client.StartAndReserveAsync(admission, null, "r5", 0.10m, 10, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task On_a_model_that_limits_traffic_whatever_refuses_leaves_neither_slot_taken()
    {
        await using var local = await LocalGovernance.StartAsync();
        var org = await local.Seed.AddBudgetAsync(LimitScope.Organisation, local.Seed.Organisation.Id, 1m, "org-monthly");
        var (model, a, b) = await TwoKeysOnAModelOfOneSlotAsync(local);

        // The model refuses the first key (its one slot is the second key's): the key's slot, taken in the round
        // before, is given back.
        Assert.Null(await local.Client.StartAndReserveAsync(b, model.Id, "b1", 0.2m, 10, TimeSpan.FromMinutes(5)));
        Assert.Equal(RefusalReason.ConcurrencyLimited, (await local.Client.StartAndReserveAsync(a, model.Id, "a1", 0.2m, 10, TimeSpan.FromMinutes(5)))!.Reason);
        Assert.Null(await local.Client.StartAndReserveAsync(a, null, "a2", 0.2m, 10, TimeSpan.FromMinutes(5)));
        await local.Client.CompleteAsync(a, null, "a2", 10);
        await local.Client.CompleteAsync(b, model.Id, "b1", 10);

        // The budget refuses: the key's and the model's slots are both given back.
        Assert.Equal(RefusalReason.BudgetExceeded, (await local.Client.StartAndReserveAsync(a, model.Id, "a3", 5m, 10, TimeSpan.FromMinutes(5)))!.Reason);
        Assert.Null(await local.Client.StartAndReserveAsync(b, model.Id, "b2", 0.2m, 10, TimeSpan.FromMinutes(5)));
        Assert.Null(await local.Client.StartAndReserveAsync(a, null, "a4", 0.2m, 10, TimeSpan.FromMinutes(5)));
        var budget = await local.Grains.Get<IBudgetGrain>(org.Id.ToString()).Status();
        Assert.Equal((0.8m, 4), (budget.Open, budget.OpenCount));
    }

    [Fact]
    public async Task A_key_over_its_own_limits_never_takes_a_count_on_a_model_that_limits_traffic()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (model, a, b) = await TwoKeysOnAModelOfOneSlotAsync(local);

        // The first key's slot is taken by a request on another model.
        Assert.Null(await local.Client.StartAndReserveAsync(a, null, "a0", 0m, 10, TimeSpan.FromMinutes(5)));
        var refused = await local.Client.StartAndReserveAsync(a, model.Id, "a1", 0m, 10, TimeSpan.FromMinutes(5));

        Assert.Equal(RefusalReason.ConcurrencyLimited, refused!.Reason);
        Assert.Contains("API key", refused.Message, StringComparison.Ordinal);
        // The model's one slot is still free for the other key.
        Assert.Null(await local.Client.StartAndReserveAsync(b, model.Id, "b1", 0m, 10, TimeSpan.FromMinutes(5)));
        Assert.Equal(RefusalReason.ConcurrencyLimited, (await local.Client.StartAndReserveAsync(b, model.Id, "b2", 0m, 10, TimeSpan.FromMinutes(5)))!.Reason);
    }

    [Fact]
    public async Task A_refusal_by_one_budget_releases_what_the_others_reserved_and_names_the_scope()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, _) = await local.Seed.AddKeyAsync();
        var team = await local.Seed.AddBudgetAsync(LimitScope.Team, local.Seed.Team.Id, 100m, "team-monthly");
        var org = await local.Seed.AddBudgetAsync(LimitScope.Organisation, local.Seed.Organisation.Id, 1m, "org-monthly");
        var grant = (await local.Client.AdmitAsync(secret, Client, 10)).Grant!;

        Assert.Null(await local.Client.ReserveAsync(grant, "r1", 0.75m, 100, TimeSpan.FromMinutes(5)));
        var refused = await local.Client.ReserveAsync(grant, "r2", 0.50m, 100, TimeSpan.FromMinutes(5));

        Assert.Equal(RefusalReason.BudgetExceeded, refused!.Reason);
        Assert.Equal("budget:org-monthly", refused.Limit);
        Assert.Equal(402, refused.HttpStatus);
        Assert.True(refused.RetryAfterMs > 0, "a monthly budget frees up at the next period");
        var teamStatus = await local.Grains.Get<IBudgetGrain>(team.Id.ToString()).Status();
        Assert.Equal(0.75m, teamStatus.Open);
        Assert.Equal(1, teamStatus.OpenCount);
        Assert.Equal(0.75m, (await local.Grains.Get<IBudgetGrain>(org.Id.ToString()).Status()).Open);
    }

    [Fact]
    public async Task Settling_below_the_reservation_frees_headroom_and_repeats_are_charged_once()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, _) = await local.Seed.AddKeyAsync();
        var budget = await local.Seed.AddBudgetAsync(LimitScope.ApiKey, (await local.Client.AdmitAsync(secret, Client, 10)).Grant!.KeyId, 1m, "key-lifetime", Domain.Periods.PeriodKind.Lifetime);
        var grain = local.Grains.Get<IBudgetGrain>(budget.Id.ToString());
        await local.Grains.Get<IApiKeyGrain>(Odock.Domain.Common.SecretToken.Hash(secret)).Refresh();
        var grant = (await local.Client.AdmitAsync(secret, Client, 10)).Grant!;

        Assert.Null(await local.Client.ReserveAsync(grant, "r1", 0.8m, 10, TimeSpan.FromMinutes(5)));
        Assert.NotNull(await local.Client.ReserveAsync(grant, "r2", 0.8m, 10, TimeSpan.FromMinutes(5)));
        await local.Client.SettleAsync(grant, "r1", 0.1m, served: true, 10);
        await local.Client.SettleAsync(grant, "r1", 0.1m, served: true, 10);
        Assert.Null(await local.Client.ReserveAsync(grant, "r2", 0.8m, 10, TimeSpan.FromMinutes(5)));

        var status = await grain.Status();
        Assert.Equal(0.1m, status.Settled);
        Assert.Equal(0.8m, status.Open);
        Assert.Equal(0m, status.Overspend);
    }

    [Fact]
    public async Task Unsettled_reservations_expire_and_give_their_headroom_back()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync();
        await local.Seed.AddQuotaAsync(LimitScope.ApiKey, key.Id, QuotaUnit.Requests, 1, "one-request");
        var grant = (await local.Client.AdmitAsync(secret, Client, 10)).Grant!;

        Assert.Null(await local.Client.ReserveAsync(grant, "lost", 0m, 10, TimeSpan.FromMinutes(1)));
        Assert.Equal(RefusalReason.QuotaExceeded, (await local.Client.ReserveAsync(grant, "next", 0m, 10, TimeSpan.FromMinutes(1)))!.Reason);
        local.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Null(await local.Client.ReserveAsync(grant, "next", 0m, 10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_restarted_budget_recomputes_its_spend_from_the_ledger_and_counts_a_retried_settle_once()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync();
        var budget = await local.Seed.AddBudgetAsync(LimitScope.User, local.Seed.User.Id, 10m, "user-monthly");
        var grant = (await local.Client.AdmitAsync(secret, Client, 10)).Grant!;
        Assert.Null(await local.Client.ReserveAsync(grant, "r1", 2m, 10, TimeSpan.FromMinutes(5)));
        Assert.Null(await local.Client.ReserveAsync(grant, "r2", 2m, 10, TimeSpan.FromMinutes(5)));
        var now = local.Clock.GetUtcNow();
        await local.Seed.AppendUsageAsync(local.Seed.UsageOf(key, "r1", 1.25m, now), local.Seed.UsageOf(key, "earlier", 3m, now.AddMinutes(-1)));
        await local.Client.SettleAsync(grant, "r1", 1.25m, served: true, 15);

        await local.RestartAsync();
        var grain = local.Grains.Get<IBudgetGrain>(budget.Id.ToString());
        Assert.Equal(4.25m, (await grain.Status()).Settled);

        await local.Client.SettleAsync(grant, "r1", 1.25m, served: true, 15);
        Assert.Equal(4.25m, (await grain.Status()).Settled);
        await local.Client.SettleAsync(grant, "r2", 0.5m, served: true, 15);
        Assert.Equal(4.75m, (await grain.Status()).Settled);
    }

    [Fact]
    public async Task A_new_period_starts_from_zero_spend()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, _) = await local.Seed.AddKeyAsync();
        await local.Seed.AddBudgetAsync(LimitScope.Team, local.Seed.Team.Id, 1m, "team-daily", Domain.Periods.PeriodKind.Daily);
        var grant = (await local.Client.AdmitAsync(secret, Client, 10)).Grant!;
        Assert.Null(await local.Client.ReserveAsync(grant, "r1", 1m, 10, TimeSpan.FromMinutes(5)));
        await local.Client.SettleAsync(grant, "r1", 1m, served: true, 10);
        var refused = await local.Client.ReserveAsync(grant, "r2", 0.01m, 10, TimeSpan.FromMinutes(5));
        Assert.Equal(RefusalReason.BudgetExceeded, refused!.Reason);

        local.Clock.Advance(TimeSpan.FromMilliseconds(refused.RetryAfterMs));

        Assert.Null(await local.Client.ReserveAsync(grant, "r2", 0.01m, 10, TimeSpan.FromMinutes(5)));
    }

    [Fact]
    public async Task The_catalog_hands_out_a_snapshot_only_when_it_changed_and_refresh_picks_up_new_models()
    {
        await using var local = await LocalGovernance.StartAsync();
        await local.Seed.AddModelAsync("support-fast", new ResourcePolicy { RequestsPerMinute = 60 });
        var catalog = local.Grains.Get<Catalog.IOrgCatalogGrain>(local.Seed.Organisation.Id.ToString());

        var first = await catalog.GetIfChanged(0);
        Assert.NotNull(first);
        Assert.Equal("support-fast", Assert.Single(first.Models).Name);
        Assert.Equal(60, first.Models[0].Policies.RequestsPerMinute);
        Assert.Equal(1m, Assert.Single(first.Models[0].Pricing.Entries).InputPerMillion);
        Assert.Equal(local.Seed.Provider.Id, Assert.Single(first.Providers).Id);
        Assert.Null(await catalog.GetIfChanged(first.Version));

        await local.Seed.AddModelAsync("support-smart", ResourcePolicy.None);
        Assert.Null(await catalog.GetIfChanged(first.Version));
        var version = await catalog.Refresh();
        var second = await catalog.GetIfChanged(first.Version);

        Assert.NotEqual(first.Version, version);
        Assert.Equal(version, second!.Version);
        Assert.Equal(["support-fast", "support-smart"], second.Models.Select(m => m.Name).Order(StringComparer.Ordinal));
    }

    /// <summary>A model of one concurrent request, a key of one ("first", admitted as a) and a key without limits (b).</summary>
    private static async Task<(Model Model, Admission A, Admission B)> TwoKeysOnAModelOfOneSlotAsync(LocalGovernance local)
    {
        var model = await local.Seed.AddModelAsync("support-fast", new ResourcePolicy { MaxConcurrency = 1 });
        var (first, _) = await local.Seed.AddKeyAsync(new ResourcePolicy { MaxConcurrency = 1 }, "first");
        var (second, _) = await local.Seed.AddKeyAsync(name: "second");
        return (model, await local.Client.AdmitAsync(first, Client, 10), await local.Client.AdmitAsync(second, Client, 10));
    }

    /// <summary>
    /// Both refusals are the earlier stage's (a slot, named by <paramref name="refuser"/>) and the budget holds only the
    /// 0.25 of the request that passed: what it took for the refused one was given back.
    /// </summary>
    private static async Task AssertTheEarlierStageWonAsync(LocalGovernance local, Refusal? refused, Refusal? both, string refuser, Guid budgetId)
    {
        Assert.Equal(RefusalReason.ConcurrencyLimited, refused!.Reason);
        Assert.Contains(refuser, refused.Message, StringComparison.Ordinal);
        Assert.Equal(RefusalReason.ConcurrencyLimited, both!.Reason);
        var budget = await local.Grains.Get<IBudgetGrain>(budgetId.ToString()).Status();
        Assert.Equal(0.25m, budget.Open);
        Assert.Equal(1, budget.OpenCount);
    }
}
