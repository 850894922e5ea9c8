using Odock.Domain.ApiKeys;
using Odock.Domain.Common;
using Odock.Domain.Models;
using Odock.Domain.Organisations;
using Odock.Domain.Providers;
using Odock.Domain.Users;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Secrets;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Storage.Tests.Repositories;

/// <summary>A migrated, empty store on one engine, with helpers that create the records most tests need.</summary>
internal sealed class StoreFixture : IAsyncDisposable
{
    /// <summary>Microsecond precision, as both engines keep it.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 22, 10, 15, 30, 123, 456, TimeSpan.Zero);

    private readonly TestDatabase _database;

    private StoreFixture(TestDatabase database)
    {
        _database = database;
        Store = new OdockStore(database.Connections);
    }

    public OdockStore Store { get; }

    public StorageEngine Engine => _database.Engine;

    public IDbConnectionFactory Connections => _database.Connections;

    public AesGcmSecretProtector Protector { get; } = new(new byte[AesGcmSecretProtector.KeySize]);

    public static async Task<StoreFixture> CreateAsync(StorageEngine engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(database.Connections).ApplyAsync();
        return new StoreFixture(database);
    }

    public async Task<Organisation> AddOrganisationAsync(string name = "acme")
    {
        var organisation = new Organisation { Id = Guid.NewGuid(), Name = name, DisplayName = "Acme Corporation", CreatedAt = Now };
        await using var session = await Store.OpenAsync();
        await session.Organisations.InsertAsync(organisation);
        return organisation;
    }

    public async Task<Team> AddTeamAsync(Guid organisationId, string name = "support")
    {
        var team = new Team { Id = Guid.NewGuid(), OrganisationId = organisationId, Name = name, CreatedAt = Now };
        await using var session = await Store.OpenAsync();
        await session.Teams.InsertAsync(team);
        return team;
    }

    public async Task<User> AddUserAsync(Guid organisationId, string email = "dana@acme.example")
    {
        var user = new User { Id = Guid.NewGuid(), OrganisationId = organisationId, Email = email, Role = UserRole.User, CreatedAt = Now };
        await using var session = await Store.OpenAsync();
        await session.Users.InsertAsync(user);
        return user;
    }

    public async Task<(Provider Provider, ProviderKey Key)> AddProviderAsync(Guid organisationId, string secret = "sk-test-1234567890")
    {
        var provider = new Provider
        {
            Id = Guid.NewGuid(), OrganisationId = organisationId, Name = "openai", Type = ProviderType.OpenAi,
            Settings = new Dictionary<string, string> { ["organization"] = "org-123" }, CreatedAt = Now,
        };
        var key = new ProviderKey
        {
            Id = Guid.NewGuid(), ProviderId = provider.Id, Name = "production", EncryptedSecret = Protector.Protect(secret),
            SecretHint = ProviderKey.HintOf(secret), CreatedAt = Now,
        };
        await using var session = await Store.OpenAsync();
        await session.Providers.InsertAsync(provider);
        await session.ProviderKeys.InsertAsync(key);
        return (provider, key);
    }

    public async Task<Model> AddModelAsync(Guid organisationId, Guid providerId, string name = "support-fast")
    {
        var model = new Model
        {
            Id = Guid.NewGuid(), OrganisationId = organisationId, Name = name, UpstreamSlug = "gpt-4.1-mini", ProviderId = providerId,
            Pricing = new ModelPricing { Currency = "USD", InputPerMillion = 0.4m, OutputPerMillion = 1.6m }, CreatedAt = Now,
        };
        await using var session = await Store.OpenAsync();
        await session.Models.InsertAsync(model);
        return model;
    }

    public static ApiKey NewApiKey(Guid organisationId, string name = "support-bot")
    {
        var secret = SecretToken.Generate(ApiKey.SecretPrefix);
        return new ApiKey
        {
            Id = Guid.NewGuid(), OrganisationId = organisationId, Name = name, Prefix = SecretToken.DisplayPrefix(secret, ApiKey.SecretPrefix),
            Hash = SecretToken.Hash(secret), Scope = ApiKeyScope.Organisation, CreatedAt = Now,
        };
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
