using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Organisations;
using Odock.Domain.Periods;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;
using Odock.Domain.Providers;
using Odock.Domain.Quotas;
using Odock.Domain.Usage;
using Odock.Domain.Users;
using Odock.Storage.Store;

namespace Odock.Testing.Governance;

/// <summary>An organisation with a team, a user and a provider, and helpers that add keys, budgets, quotas and ledger rows.</summary>
public sealed class GovernanceSeed
{
    private static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private GovernanceSeed(IOdockStore store, Organisation organisation, Team team, User user, Provider provider)
    {
        Store = store;
        Organisation = organisation;
        Team = team;
        User = user;
        Provider = provider;
    }

    public IOdockStore Store { get; }

    public Organisation Organisation { get; }

    public Team Team { get; }

    public User User { get; }

    public Provider Provider { get; }

    public static async Task<GovernanceSeed> CreateAsync(IOdockStore store)
    {
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = "acme", DisplayName = "Acme", CreatedAt = CreatedAt };
        var team = new Team { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Name = "support", CreatedAt = CreatedAt };
        var user = new User { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Email = "dana@acme.example", Role = UserRole.User, CreatedAt = CreatedAt };
        var provider = new Provider { Id = Guid.NewGuid(), OrganisationId = organisation.Id, Name = "mock", Type = ProviderType.OpenAi, BaseUrl = "http://127.0.0.1:9", CreatedAt = CreatedAt };
        await using var session = await store.OpenAsync();
        await session.Organisations.InsertAsync(organisation);
        await session.Teams.InsertAsync(team);
        await session.Users.InsertAsync(user);
        await session.Providers.InsertAsync(provider);
        return new GovernanceSeed(store, organisation, team, user, provider);
    }

    /// <summary>A user key in the team; returns the secret a client would send, and the stored key.</summary>
    public async Task<(string Secret, ApiKey Key)> AddKeyAsync(ResourcePolicy? limits = null, string name = "support-bot", DateTimeOffset? expiresAt = null, IReadOnlyList<Guid>? modelGrants = null)
    {
        var secret = SecretToken.Generate(ApiKey.SecretPrefix);
        var key = new ApiKey
        {
            Id = Guid.NewGuid(), OrganisationId = Organisation.Id, Name = name, Prefix = SecretToken.DisplayPrefix(secret, ApiKey.SecretPrefix),
            Hash = SecretToken.Hash(secret), Scope = ApiKeyScope.User, TeamId = Team.Id, UserId = User.Id, Limits = limits ?? ResourcePolicy.None,
            ExpiresAt = expiresAt, ModelGrants = modelGrants ?? [], CreatedAt = CreatedAt,
        };
        await using var session = await Store.OpenAsync();
        await session.ApiKeys.InsertAsync(key);
        return (secret, key);
    }

    public async Task<Budget> AddBudgetAsync(LimitScope scope, Guid target, decimal amount, string name, PeriodKind period = PeriodKind.Monthly)
    {
        var budget = new Budget
        {
            Id = Guid.NewGuid(), OrganisationId = Organisation.Id, Name = name, Scope = scope, TargetId = target, Amount = amount, Currency = "USD",
            Period = period == PeriodKind.Lifetime ? Period.Lifetime : new Period(period), CreatedAt = CreatedAt,
        };
        await using var session = await Store.OpenAsync();
        await session.Budgets.InsertAsync(budget);
        return budget;
    }

    public async Task<Quota> AddQuotaAsync(LimitScope scope, Guid target, QuotaUnit unit, long limit, string name)
    {
        var quota = new Quota
        {
            Id = Guid.NewGuid(), OrganisationId = Organisation.Id, Name = name, Scope = scope, TargetId = target, Unit = unit, Limit = limit,
            Period = new Period(PeriodKind.Monthly), CreatedAt = CreatedAt,
        };
        await using var session = await Store.OpenAsync();
        await session.Quotas.InsertAsync(quota);
        return quota;
    }

    /// <summary>Another provider of the organisation, with one key whose secret is encrypted by <paramref name="protect"/>.</summary>
    public async Task<Provider> AddProviderAsync(string name, ProviderType type, string? baseUrl, string? secret = null, Func<string, byte[]>? protect = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var provider = new Provider
        {
            Id = Guid.NewGuid(), OrganisationId = Organisation.Id, Name = name, Type = type, BaseUrl = baseUrl,
            Settings = settings ?? new Dictionary<string, string>(), CreatedAt = CreatedAt,
        };
        await using var session = await Store.OpenAsync();
        await session.Providers.InsertAsync(provider);
        if (secret is not null && protect is not null)
        {
            await session.ProviderKeys.InsertAsync(new ProviderKey
            {
                Id = Guid.NewGuid(), ProviderId = provider.Id, Name = "default", EncryptedSecret = protect(secret), SecretHint = ProviderKey.HintOf(secret), CreatedAt = CreatedAt,
            });
        }

        return provider;
    }

    public async Task<Model> AddModelAsync(string name, ResourcePolicy policies, Provider? provider = null, string? upstreamSlug = null, ModelPriceSchedule? pricing = null)
    {
        var model = new Model
        {
            Id = Guid.NewGuid(), OrganisationId = Organisation.Id, Name = name, UpstreamSlug = upstreamSlug ?? name, ProviderId = (provider ?? Provider).Id,
            Pricing = pricing ?? ModelPriceSchedule.FromModelPricing(new ModelPricing { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m }), Policies = policies, CreatedAt = CreatedAt,
        };
        await using var session = await Store.OpenAsync();
        await session.Models.InsertAsync(model);
        return model;
    }

    /// <summary>What the gateway writes for a served call: the ledger row the budgets recompute from.</summary>
    public UsageRecord UsageOf(ApiKey key, string requestId, decimal cost, DateTimeOffset at, long inputTokens = 10, long outputTokens = 5) => new()
    {
        Id = Guid.NewGuid(), RequestId = requestId, OccurredAt = at, Kind = UsageKind.Model, OrganisationId = Organisation.Id, TeamId = key.TeamId,
        UserId = key.UserId, ApiKeyId = key.Id, Endpoint = "openai.chat_completions", HttpStatus = 200, LatencyMs = 5,
        Tokens = new TokenUsage { InputTokens = inputTokens, OutputTokens = outputTokens }, Cost = cost, Currency = "USD",
    };

    public async Task AppendUsageAsync(params UsageRecord[] records)
    {
        await using var session = await Store.OpenAsync();
        await session.Usage.AppendAsync(records);
    }
}
