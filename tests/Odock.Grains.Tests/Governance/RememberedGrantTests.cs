using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Policies;
using Odock.Grains.ApiKeys;
using Odock.Grains.Budgets;
using Odock.Grains.Governance;

namespace Odock.Grains.Tests.Governance;

/// <summary>
/// Provisional admissions (<see cref="GovernanceClient.AdmitAsync"/> with a grant the client remembers): nothing is
/// asked or counted until the key decides stage 1 with stage 2, and the key's word then stands, refusal or new grant.
/// </summary>
public sealed class RememberedGrantTests
{
    private const string Client = "203.0.113.7";

    [Fact]
    public async Task A_remembered_grant_is_counted_only_when_the_key_decides_it_with_stage_two()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync(new ResourcePolicy { RequestsPerMinute = 2 });
        var budget = await local.Seed.AddBudgetAsync(LimitScope.ApiKey, key.Id, 10m, "key-monthly");

        var first = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        Assert.False(first.Provisional);
        var second = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        var third = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        var fourth = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        Assert.All(new[] { second, third, fourth }, a => Assert.True(a.Provisional && a.Admitted));
        Assert.Same(first.Grant, second.Grant);

        // The first admission and the second's round fill the window of two; the third is refused at stage 1 in its
        // round, and what the budget took for it is given back at once.
        Assert.Null(await local.Client.StartAndReserveAsync(second, null, "r2", 0.25m, 10, TimeSpan.FromMinutes(5)));
        Assert.False(second.Provisional);
        var refused = await local.Client.StartAndReserveAsync(third, null, "r3", 0.25m, 10, TimeSpan.FromMinutes(5));
        Assert.Equal(RefusalReason.RateLimited, refused!.Reason);
        Assert.False(third.Admitted);
        Assert.Same(refused, third.Refusal);
        var status = await local.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal((0.25m, 1), (status.Open, status.OpenCount));

        // A provisional admission answered before stage 2 is decided by the key on its own; a refused key is asked
        // first from then on.
        await local.Client.ConfirmAsync(fourth);
        Assert.Equal(RefusalReason.RateLimited, fourth.Refusal!.Reason);
        var fifth = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        Assert.False(fifth.Provisional);
        Assert.Equal(RefusalReason.RateLimited, fifth.Refusal!.Reason);
    }

    [Fact]
    public async Task A_revoked_key_is_refused_in_the_round_of_stage_two_and_holds_nothing()
    {
        await using var local = await LocalGovernance.StartAsync();
        var model = await local.Seed.AddModelAsync("support-fast", new ResourcePolicy { MaxConcurrency = 1 });
        var (secret, key) = await local.Seed.AddKeyAsync(new ResourcePolicy { MaxConcurrency = 1 });
        var budget = await local.Seed.AddBudgetAsync(LimitScope.Team, local.Seed.Team.Id, 10m, "team-monthly");
        Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
        var unlimited = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        var limited = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        await using (var session = await local.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.UpdateAsync(key with { Status = ApiKeyStatus.Revoked });
        }

        await local.Grains.Get<IApiKeyGrain>(key.Hash).Refresh();

        // Both paths: the key with the reservations, and, for a model that limits traffic, the key alone first.
        Assert.Equal(RefusalReason.Revoked, (await local.Client.StartAndReserveAsync(unlimited, null, "r1", 0.25m, 10, TimeSpan.FromMinutes(5)))!.Reason);
        Assert.Equal(RefusalReason.Revoked, (await local.Client.StartAndReserveAsync(limited, model.Id, "r2", 0.25m, 10, TimeSpan.FromMinutes(5)))!.Reason);
        Assert.False(unlimited.Admitted || limited.Admitted);
        var status = await local.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal((0m, 0), (status.Open, status.OpenCount));

        // The model's one slot was never taken: another key gets it.
        var (other, _) = await local.Seed.AddKeyAsync(name: "other");
        Assert.Null(await local.Client.StartAndReserveAsync(await local.Client.AdmitAsync(other, Client, 10), model.Id, "r3", 0.25m, 10, TimeSpan.FromMinutes(5)));
        Assert.Equal(RefusalReason.Revoked, (await local.Client.AdmitAsync(secret, Client, 10, provisional: true)).Refusal!.Reason);
    }

    [Fact]
    public async Task A_grant_that_changed_comes_back_current_with_stage_one_counted_once_and_nothing_held()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync(new ResourcePolicy { RequestsPerMinute = 3, MaxConcurrency = 1 });
        var first = await local.Client.AdmitAsync(secret, Client, 10);
        var admission = await local.Client.AdmitAsync(secret, Client, 10, provisional: true);
        var budget = await local.Seed.AddBudgetAsync(LimitScope.Team, local.Seed.Team.Id, 10m, "team-monthly");
        await local.Grains.Get<IApiKeyGrain>(key.Hash).Refresh();

        var refused = await local.Client.StartAndReserveAsync(admission, null, "r2", 0.25m, 10, TimeSpan.FromMinutes(5));
        Assert.Equal(RefusalReason.KeyChanged, refused!.Reason);
        Assert.Equal(503, refused.HttpStatus);
        Assert.False(admission.Provisional);
        Assert.Equal([budget.Id], admission.Grant!.BudgetIds);
        Assert.NotEqual(first.Grant!.Version, admission.Grant.Version);

        // Again with the current grant (under another id, so that a slot the first round took would refuse it): the
        // key's one slot was free, and the new budget holds the request.
        Assert.Null(await local.Client.StartAndReserveAsync(admission, null, "r2-again", 0.25m, 10, TimeSpan.FromMinutes(5)));
        Assert.Equal(0.25m, (await local.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status()).Open);

        // Stage 1 counted the request once: a third is admitted, a fourth is over the window of three.
        Assert.True((await local.Client.AdmitAsync(secret, Client, 10)).Admitted);
        Assert.Equal(RefusalReason.RateLimited, (await local.Client.AdmitAsync(secret, Client, 10)).Refusal!.Reason);
    }

    [Fact]
    public async Task A_grants_version_survives_a_restart_and_changes_with_what_the_grant_says()
    {
        await using var local = await LocalGovernance.StartAsync();
        var (secret, key) = await local.Seed.AddKeyAsync();
        var before = (await local.Client.AdmitAsync(secret, Client, 10)).Grant!;

        await local.RestartAsync();
        var restarted = (await local.Client.AdmitAsync(secret, Client, 10)).Grant!;
        Assert.NotSame(before, restarted);
        Assert.Equal(before.Version, restarted.Version);

        await using (var session = await local.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.UpdateAsync(key with { Name = "renamed" });
        }

        await local.Grains.Get<IApiKeyGrain>(key.Hash).Refresh();
        Assert.NotEqual(before.Version, (await local.Client.AdmitAsync(secret, Client, 10)).Grant!.Version);
        Assert.Equal(before.Version, KeyGrant.VersionOf(before with { Version = 12345 }));
    }

    [Fact]
    public async Task Past_the_memory_they_may_take_the_remembered_grants_are_forgotten_and_remembering_starts_again()
    {
        await using var local = await LocalGovernance.StartAsync();
        var keys = await AddKeysGrantingModelsAsync(local, 3, 30);
        var client = new GovernanceClient(local.Grains, local.Clock, 100, RoomForTwoAndAHalf(keys));

        foreach (var (secret, _) in keys)
        {
            Assert.False((await client.AdmitAsync(secret, Client, 10, provisional: true)).Provisional);
        }

        // The third grant did not fit beside the first two, so the memory started again with it alone.
        Assert.True((await client.AdmitAsync(keys[2].Secret, Client, 10, provisional: true)).Provisional);
        Assert.False((await client.AdmitAsync(keys[0].Secret, Client, 10, provisional: true)).Provisional);

        // The bound on the number of keys still holds on its own: a client that may remember two keys starts again
        // at the third, however small their grants.
        var counting = new GovernanceClient(local.Grains, local.Clock, 2, long.MaxValue);
        var small = new[] { await local.Seed.AddKeyAsync(name: "a"), await local.Seed.AddKeyAsync(name: "b"), await local.Seed.AddKeyAsync(name: "c") };
        foreach (var (secret, _) in small)
        {
            await counting.AdmitAsync(secret, Client, 10);
        }

        Assert.True((await counting.AdmitAsync(small[2].Secret, Client, 10, provisional: true)).Provisional);
        Assert.False((await counting.AdmitAsync(small[0].Secret, Client, 10, provisional: true)).Provisional);
    }

    [Fact]
    public async Task A_changed_or_refused_grant_gives_back_the_memory_it_took()
    {
        await using var local = await LocalGovernance.StartAsync();
        var keys = await AddKeysGrantingModelsAsync(local, 3, 30);
        var client = new GovernanceClient(local.Grains, local.Clock, 100, RoomForTwoAndAHalf(keys));
        await client.AdmitAsync(keys[0].Secret, Client, 10);

        // A changed grant takes the place of the old one: remembered twice over, the second key would not fit.
        await using (var session = await local.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.UpdateAsync(keys[0].Key with { Name = "renamed" });
        }

        await local.Grains.Get<IApiKeyGrain>(keys[0].Key.Hash).Refresh();
        Assert.Equal("renamed", (await client.AdmitAsync(keys[0].Secret, Client, 10)).Grant!.KeyName);
        await client.AdmitAsync(keys[1].Secret, Client, 10);
        Assert.True((await client.AdmitAsync(keys[0].Secret, Client, 10, provisional: true)).Provisional);

        // A refused key is forgotten and its memory given back: the third key then fits beside the second.
        await using (var session = await local.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.UpdateAsync(keys[0].Key with { Name = "renamed", Status = ApiKeyStatus.Revoked });
        }

        await local.Grains.Get<IApiKeyGrain>(keys[0].Key.Hash).Refresh();
        Assert.Equal(RefusalReason.Revoked, (await client.AdmitAsync(keys[0].Secret, Client, 10)).Refusal!.Reason);
        await client.AdmitAsync(keys[2].Secret, Client, 10);
        Assert.True((await client.AdmitAsync(keys[1].Secret, Client, 10, provisional: true)).Provisional);
        Assert.True((await client.AdmitAsync(keys[2].Secret, Client, 10, provisional: true)).Provisional);
    }

    /// <summary>Keys that each grant the same <paramref name="models"/> models, so that their grants weigh alike.</summary>
    private static async Task<(string Secret, ApiKey Key)[]> AddKeysGrantingModelsAsync(LocalGovernance local, int keys, int models)
    {
        var granted = new List<Guid>();
        for (var i = 0; i < models; i++)
        {
            granted.Add((await local.Seed.AddModelAsync($"model-{i}", ResourcePolicy.None)).Id);
        }

        var added = new (string Secret, ApiKey Key)[keys];
        for (var i = 0; i < keys; i++)
        {
            added[i] = await local.Seed.AddKeyAsync(name: $"key-{i}", modelGrants: granted);
        }

        return added;
    }

    /// <summary>Room, by the client's own estimate, for two of these keys' grants but not three.</summary>
    private static long RoomForTwoAndAHalf((string Secret, ApiKey Key)[] keys)
    {
        var grant = new KeyGrant(keys[0].Key.Id, "renamed", keys[0].Key.OrganisationId, null, null, new Guid[keys[0].Key.ModelGrants.Count], [], null, null, [], [], 0);
        return GovernanceClient.RememberedBytes(keys[0].Key.Hash, grant) * 5 / 2;
    }
}
