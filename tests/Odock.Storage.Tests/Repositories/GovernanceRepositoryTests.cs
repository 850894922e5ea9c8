using Odock.Domain.ApiKeys;
using Odock.Domain.Audit;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Periods;
using Odock.Domain.Policies;
using Odock.Domain.Quotas;
using Odock.Domain.Routing;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using Odock.Storage.Repositories;
using Odock.Testing;

namespace Odock.Storage.Tests.Repositories;

public sealed class GovernanceRepositoryTests
{
    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Api_key_is_found_by_hash_with_its_grants_limits_and_routing(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var support = await fixture.AddTeamAsync(acme.Id);
        var (provider, _) = await fixture.AddProviderAsync(acme.Id);
        var fast = await fixture.AddModelAsync(acme.Id, provider.Id, "support-fast");
        var smart = await fixture.AddModelAsync(acme.Id, provider.Id, "support-smart");
        var key = StoreFixture.NewApiKey(acme.Id) with
        {
            Scope = ApiKeyScope.Team, TeamId = support.Id, ExpiresAt = StoreFixture.Now.AddDays(30), ModelGrants = [fast.Id, smart.Id],
            Limits = new ResourcePolicy { RequestsPerMinute = 100, TokensPerMinute = 50_000, MaxConcurrency = 5 },
            Routing = new RoutingPolicy { Strategy = RoutingStrategy.RoundRobin, Targets = [new("support-fast", 3), new("support-smart")] },
        };
        await using var session = await fixture.Store.OpenAsync();
        await session.ApiKeys.InsertAsync(key);

        var stored = await session.ApiKeys.FindByHashAsync(key.Hash);

        Assert.NotNull(stored);
        Assert.Equal(key.ModelGrants.Order(), stored.ModelGrants);
        Assert.Equal(key.Limits, stored.Limits);
        Assert.Equal(key.Routing, stored.Routing);
        Assert.Equal(key.ExpiresAt, stored.ExpiresAt);
        Assert.Equal(ApiKeyScope.Team, stored.Scope);
        Assert.Null(await session.ApiKeys.FindByHashAsync(new string('0', 64)));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Updating_a_key_replaces_its_grants_and_deleting_a_model_removes_its_grant(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var (provider, _) = await fixture.AddProviderAsync(acme.Id);
        var fast = await fixture.AddModelAsync(acme.Id, provider.Id, "support-fast");
        var smart = await fixture.AddModelAsync(acme.Id, provider.Id, "support-smart");
        var key = StoreFixture.NewApiKey(acme.Id) with { ModelGrants = [fast.Id] };
        var other = StoreFixture.NewApiKey(acme.Id, "other") with { ModelGrants = [fast.Id, smart.Id] };
        await using var session = await fixture.Store.OpenAsync();
        await session.ApiKeys.InsertAsync(key);
        await session.ApiKeys.InsertAsync(other);

        await session.ApiKeys.UpdateAsync(key with { ModelGrants = [smart.Id], Status = ApiKeyStatus.Disabled });
        await session.Models.DeleteAsync(fast.Id);

        var keys = await session.ApiKeys.ListAsync(acme.Id);
        Assert.Equal([smart.Id], keys.Single(k => k.Name == "support-bot").ModelGrants);
        Assert.Equal(ApiKeyStatus.Disabled, keys.Single(k => k.Name == "support-bot").Status);
        Assert.Equal([smart.Id], keys.Single(k => k.Name == "other").ModelGrants);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Budgets_and_quotas_keep_exact_amounts_and_periods_and_are_listed_by_target(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var support = await fixture.AddTeamAsync(acme.Id);
        var budget = new Budget
        {
            Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "support-daily", Scope = LimitScope.Team, TargetId = support.Id,
            Amount = 25.123456789m, Currency = "USD", Period = new Period(PeriodKind.Daily, "America/New_York"), CreatedAt = StoreFixture.Now,
        };
        var quota = new Quota
        {
            Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "support-tokens", Scope = LimitScope.Team, TargetId = support.Id,
            Unit = QuotaUnit.Tokens, Limit = 5_000_000_000, Period = new Period(PeriodKind.Weekly, "Europe/Paris"), CreatedAt = StoreFixture.Now,
        };
        await using var session = await fixture.Store.OpenAsync();
        await session.Budgets.InsertAsync(budget);
        await session.Quotas.InsertAsync(quota);

        Assert.Equal(budget, Assert.Single(await session.Budgets.ListForTargetAsync(support.Id)));
        Assert.Equal(quota, Assert.Single(await session.Quotas.ListForTargetAsync(support.Id)));
        Assert.Empty(await session.Budgets.ListForTargetAsync(acme.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Usage_ledger_is_idempotent_by_request_and_filters_by_window_and_key(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var keyId = Guid.NewGuid();
        var records = Enumerable.Range(0, 5).Select(i => Usage(acme.Id, $"req-{i}", StoreFixture.Now.AddMinutes(i), i % 2 == 0 ? keyId : null)).ToArray();
        await using var session = await fixture.Store.OpenAsync();

        Assert.Equal(5, await session.Usage.AppendAsync(records));
        Assert.Equal(0, await session.Usage.AppendAsync([records[0] with { Id = Guid.NewGuid() }]));

        var window = await session.Usage.ListAsync(new UsageQuery(acme.Id, StoreFixture.Now.AddMinutes(1), StoreFixture.Now.AddMinutes(4)));
        var forKey = await session.Usage.ListAsync(new UsageQuery(acme.Id, StoreFixture.Now, StoreFixture.Now.AddHours(1)) { ApiKeyId = keyId });

        Assert.Equal(["req-3", "req-2", "req-1"], window.Select(r => r.RequestId));
        Assert.Equal(["req-4", "req-2", "req-0"], forKey.Select(r => r.RequestId));
        Assert.Equal(records[2], window[1]);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Audit_log_lists_newest_first_per_organisation(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        await using var session = await fixture.Store.OpenAsync();
        foreach (var (action, minutes, organisation) in new[] { ("api_key.created", 1, (Guid?)acme.Id), ("budget.updated", 2, acme.Id), ("organisation.created", 3, null) })
        {
            await session.Audit.AppendAsync(new AuditEntry
            {
                Id = Guid.NewGuid(), OccurredAt = StoreFixture.Now.AddMinutes(minutes), Actor = "user:ops@acme.example", OrganisationId = organisation,
                Action = action, TargetType = "test",
            });
        }

        Assert.Equal(["budget.updated", "api_key.created"], (await session.Audit.ListAsync(acme.Id)).Select(e => e.Action));
        Assert.Equal(3, (await session.Audit.ListAsync(null)).Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Transaction_not_committed_leaves_nothing_and_committed_one_lands(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();

        await using (var abandoned = await fixture.Store.BeginTransactionAsync())
        {
            await abandoned.Teams.InsertAsync(new() { Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "ghost", CreatedAt = StoreFixture.Now });
            await abandoned.Settings.SetAsync("marker", "1", StoreFixture.Now);
        }

        await using (var committed = await fixture.Store.BeginTransactionAsync())
        {
            await committed.Teams.InsertAsync(new() { Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "kept", CreatedAt = StoreFixture.Now });
            await committed.CommitAsync();
        }

        await using var session = await fixture.Store.OpenAsync();
        Assert.Equal(["kept"], (await session.Teams.ListAsync(acme.Id)).Select(t => t.Name));
        Assert.Null(await session.Settings.GetAsync("marker"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Setting_added_only_once_tells_the_winner(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        await using var session = await fixture.Store.OpenAsync();

        Assert.True(await session.Settings.TryAddAsync("bootstrap", "first", StoreFixture.Now));
        Assert.False(await session.Settings.TryAddAsync("bootstrap", "second", StoreFixture.Now));
        await session.Settings.SetAsync("instance", "a", StoreFixture.Now);
        await session.Settings.SetAsync("instance", "b", StoreFixture.Now);

        Assert.Equal("first", await session.Settings.GetAsync("bootstrap"));
        Assert.Equal("b", await session.Settings.GetAsync("instance"));
    }

    private static UsageRecord Usage(Guid organisationId, string requestId, DateTimeOffset at, Guid? apiKeyId) => new()
    {
        Id = Guid.NewGuid(), RequestId = requestId, OccurredAt = at, Kind = UsageKind.Model, OrganisationId = organisationId, ApiKeyId = apiKeyId,
        Endpoint = "openai.chat_completions", RequestedModel = "support-fast", ModelName = "support-fast", UpstreamSlug = "gpt-4.1-mini",
        HttpStatus = 200, LatencyMs = 420, Tokens = new TokenUsage { InputTokens = 1200, CachedInputTokens = 200, OutputTokens = 300, ReasoningTokens = 0 },
        Cost = 0.0000175m, Currency = "USD", ProviderUsageJson = """{"prompt_tokens":1200}""",
    };
}
