using Odock.Domain.Common;
using Odock.Domain.Mcp;
using Odock.Domain.Models;
using Odock.Domain.Organisations;
using Odock.Domain.Policies;
using Odock.Domain.Users;
using Odock.Storage.Connections;
using Odock.Storage.Errors;
using Odock.Testing;

namespace Odock.Storage.Tests.Repositories;

/// <summary>Each test runs on SQLite and on the real PostgreSQL that scripts/test.sh starts.</summary>
public sealed class AdministrativeRepositoryTests
{
    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Organisation_round_trips_and_is_found_by_name(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync("acme");
        await fixture.AddOrganisationAsync("beta");

        await using var session = await fixture.Store.OpenAsync();
        Assert.Equal(acme, await session.Organisations.GetAsync(acme.Id));
        Assert.Equal(acme, await session.Organisations.FindByNameAsync("acme"));
        Assert.Equal(["acme", "beta"], (await session.Organisations.ListAsync()).Select(o => o.Name));
        Assert.Null(await session.Organisations.FindByNameAsync("gamma"));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Taken_natural_key_is_a_typed_duplicate_error(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync("acme");
        await fixture.AddTeamAsync(acme.Id, "support");

        var duplicateOrganisation = await Assert.ThrowsAsync<DuplicateEntityException>(() => fixture.AddOrganisationAsync("acme"));
        var duplicateTeam = await Assert.ThrowsAsync<DuplicateEntityException>(() => fixture.AddTeamAsync(acme.Id, "support"));

        Assert.Equal("organisation", duplicateOrganisation.Entity);
        Assert.Equal("team", duplicateTeam.Entity);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Update_replaces_mutable_fields_and_a_missing_row_is_reported(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        await using var session = await fixture.Store.OpenAsync();

        await session.Organisations.UpdateAsync(acme with { DisplayName = "ACME Inc.", Enabled = false });

        Assert.Equal(acme with { DisplayName = "ACME Inc.", Enabled = false }, await session.Organisations.GetAsync(acme.Id));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => session.Organisations.UpdateAsync(acme with { Id = Guid.NewGuid() }));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Invalid_entity_is_refused_before_it_reaches_the_database(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        await using var session = await fixture.Store.OpenAsync();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            session.Organisations.InsertAsync(new Organisation { Id = Guid.NewGuid(), Name = "no spaces allowed", CreatedAt = StoreFixture.Now }));

        Assert.Equal("name", Assert.Single(error.Problems).Field);
        Assert.Empty(await session.Organisations.ListAsync());
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Team_membership_is_idempotent_and_goes_with_the_team(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var support = await fixture.AddTeamAsync(acme.Id, "support");
        var platform = await fixture.AddTeamAsync(acme.Id, "platform");
        var dana = await fixture.AddUserAsync(acme.Id);
        await using var session = await fixture.Store.OpenAsync();

        await session.Teams.AddMemberAsync(support.Id, dana.Id);
        await session.Teams.AddMemberAsync(support.Id, dana.Id);
        await session.Teams.AddMemberAsync(platform.Id, dana.Id);

        Assert.Equal([dana.Id], await session.Teams.ListMembersAsync(support.Id));
        Assert.Equal(2, (await session.Teams.ListTeamsOfUserAsync(dana.Id)).Count);
        Assert.True(await session.Teams.DeleteAsync(support.Id));
        Assert.Equal([platform.Id], await session.Teams.ListTeamsOfUserAsync(dana.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task User_is_found_by_email_in_any_case_and_keeps_lockout_state(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var dana = await fixture.AddUserAsync(acme.Id, "dana@acme.example");
        var root = new User { Id = Guid.NewGuid(), Email = "root@odock.example", Role = UserRole.SuperAdmin, PasswordHash = "hash", CreatedAt = StoreFixture.Now };
        await using var session = await fixture.Store.OpenAsync();
        await session.Users.InsertAsync(root);

        var locked = dana with { FailedSignIns = 0, LockedUntil = StoreFixture.Now.AddMinutes(15) };
        await session.Users.UpdateAsync(locked);

        Assert.Equal(locked, await session.Users.FindByEmailAsync("  Dana@ACME.example "));
        Assert.Equal([root], await session.Users.ListAsync(organisationId: null));
        Assert.Equal(1, await session.Users.CountByRoleAsync(UserRole.SuperAdmin));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Provider_key_is_stored_encrypted_and_decrypts_to_the_secret(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var (provider, key) = await fixture.AddProviderAsync(acme.Id, "sk-live-abcdefghijklmnop");
        await using var session = await fixture.Store.OpenAsync();

        var stored = await session.ProviderKeys.FindByNameAsync(provider.Id, "production");

        Assert.NotNull(stored);
        Assert.Equal(key.EncryptedSecret, stored.EncryptedSecret);
        Assert.DoesNotContain("abcdefghijklmnop", System.Text.Encoding.UTF8.GetString(stored.EncryptedSecret), StringComparison.Ordinal);
        Assert.Equal("sk-live-abcdefghijklmnop", fixture.Protector.Unprotect(stored.EncryptedSecret));
        Assert.Equal("…mnop", stored.SecretHint);
        Assert.Equal("org-123", (await session.Providers.GetAsync(provider.Id))!.Settings["organization"]);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Provider_used_by_a_model_cannot_be_deleted(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var (provider, key) = await fixture.AddProviderAsync(acme.Id);
        await fixture.AddModelAsync(acme.Id, provider.Id);
        await using var session = await fixture.Store.OpenAsync();

        await session.ProviderKeys.DeleteAsync(key.Id);
        var error = await Assert.ThrowsAsync<EntityInUseException>(() => session.Providers.DeleteAsync(provider.Id));

        Assert.Equal("provider", error.Entity);
        Assert.NotNull(await session.Providers.GetAsync(provider.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Model_keeps_type_capabilities_exact_pricing_and_policies(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var (provider, key) = await fixture.AddProviderAsync(acme.Id);
        var model = new Model
        {
            Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "openai/o4-mini", UpstreamSlug = "o4-mini", ProviderId = provider.Id, ProviderKeyId = key.Id,
            Type = ModelType.Reasoning, Capabilities = new HashSet<ModelCapability> { ModelCapability.Reasoning, ModelCapability.ToolUse },
            Pricing = new ModelPricing { Currency = "EUR", InputPerMillion = 1.1m, CachedInputPerMillion = 0.275m, OutputPerMillion = 4.4m, PerRequest = 0.0000001m },
            Policies = new ResourcePolicy { IpAllow = ["10.0.0.0/8"], RequestsPerMinute = 600, MaxConcurrency = 20 },
            CreatedAt = StoreFixture.Now,
        };
        await using var session = await fixture.Store.OpenAsync();
        await session.Models.InsertAsync(model);

        var stored = await session.Models.FindByNameAsync(acme.Id, "openai/o4-mini");

        Assert.NotNull(stored);
        Assert.Equal(ModelType.Reasoning, stored.Type);
        Assert.True(stored.Capabilities.SetEquals(model.Capabilities));
        Assert.Equal(model.Pricing, stored.Pricing);
        Assert.Equal(0.0000001m, Assert.Single(stored.Pricing.Entries).PerRequest);
        Assert.Equal(model.Policies, stored.Policies);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Mcp_server_keeps_transport_tools_pricing_and_metadata(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var platform = await fixture.AddTeamAsync(acme.Id, "platform");
        var server = new McpServer
        {
            Id = Guid.NewGuid(), OrganisationId = acme.Id, Name = "everything", Transport = McpTransport.Stdio, Command = "npx",
            Arguments = ["-y", "@modelcontextprotocol/server-everything"], TeamId = platform.Id, AllowedTools = ["echo", "add"], BlockedTools = ["rm"],
            Pricing = new McpPricing { Currency = "USD", PerCall = 0.001m, Tools = new Dictionary<string, decimal> { ["add"] = 0.0005m } },
            RateLimit = new ResourcePolicy { RequestsPerSecond = 5 }, Metadata = new Dictionary<string, string> { ["owner"] = "platform" },
            CreatedAt = StoreFixture.Now,
        };
        await using var session = await fixture.Store.OpenAsync();
        await session.McpServers.InsertAsync(server);

        var stored = (await session.McpServers.ListAsync(acme.Id)).Single();

        Assert.Equal(McpTransport.Stdio, stored.Transport);
        Assert.Equal(server.Arguments, stored.Arguments);
        Assert.Equal(server.AllowedTools, stored.AllowedTools);
        Assert.Equal(server.BlockedTools, stored.BlockedTools);
        Assert.Equal(0.0005m, stored.Pricing.CostOf("add"));
        Assert.Equal(0.001m, stored.Pricing.CostOf("echo"));
        Assert.Equal(server.RateLimit, stored.RateLimit);
        Assert.Equal("platform", stored.Metadata["owner"]);
        Assert.Equal(platform.Id, stored.TeamId);
    }
}
