using Odock.Admin.Configuration;
using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Periods;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Secrets;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Admin.Tests.Configuration;

public sealed class ConfigImporterTests
{
    private static readonly string SupportKey = "odk-" + new string('S', 43);
    private static readonly string DevKey = "odk-" + new string('D', 43);

    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Shipped_example_imports_and_a_second_import_changes_nothing(StorageEngine engine)
    {
        await using var target = await ImportTarget.CreateAsync(engine);

        var first = await target.Importer.ImportFileAsync(RepositoryRoot.File("examples", "odock.yaml"), Environment);
        var second = await target.Importer.ImportFileAsync(RepositoryRoot.File("examples", "odock.yaml"), Environment);

        Assert.Equal(3, first.Counts["model"].Created);
        Assert.Equal(2, first.Counts["api_key"].Created);
        Assert.Equal(3, first.Counts["budget"].Created);
        Assert.Equal(2, first.Counts["quota"].Created);
        Assert.Equal(3, first.Counts["user"].Created);
        Assert.Equal(0, second.Changes);
        Assert.All(second.Counts.Values, counts => Assert.Equal(0, counts.Created + counts.Updated));
        Assert.Empty(first.GeneratedKeys);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Imported_secrets_are_stored_only_hashed_or_encrypted(StorageEngine engine)
    {
        await using var target = await ImportTarget.CreateAsync(engine);
        await target.Importer.ImportFileAsync(RepositoryRoot.File("examples", "odock.yaml"), Environment);

        await using var session = await target.Store.OpenAsync();
        var acme = (await session.Organisations.FindByNameAsync("acme"))!;
        var supportBot = await session.ApiKeys.FindByHashAsync(SecretToken.Hash(SupportKey));
        var provider = (await session.Providers.FindByNameAsync(acme.Id, "offline"))!;
        var providerKey = (await session.ProviderKeys.FindByNameAsync(provider.Id, "default"))!;
        var ops = (await session.Users.FindByEmailAsync("ops@acme.example"))!;

        Assert.NotNull(supportBot);
        Assert.Equal("odk-SSSSSSSS", supportBot.Prefix);
        Assert.Equal(2, supportBot.ModelGrants.Count);
        Assert.Equal(ApiKeyScope.Team, supportBot.Scope);
        Assert.Equal("mock-provider-key-not-secret", target.Protector.Unprotect(providerKey.EncryptedSecret));
        Assert.True(Security.PasswordHashing.Verify(ops.PasswordHash, "correct horse battery staple"));
        Assert.DoesNotContain("correct horse", ops.PasswordHash!, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Edited_value_updates_only_that_record(StorageEngine engine)
    {
        await using var target = await ImportTarget.CreateAsync(engine);
        var original = await File.ReadAllTextAsync(RepositoryRoot.File("examples", "odock.yaml"));
        await target.Importer.ImportAsync(ConfigFileReader.Parse(original, "odock.yaml", Environment), "odock.yaml");

        var edited = original.Replace("amount: 25.00", "amount: 30.50", StringComparison.Ordinal);
        var report = await target.Importer.ImportAsync(ConfigFileReader.Parse(edited, "odock.yaml", Environment), "odock.yaml");

        Assert.Equal(1, report.Changes);
        Assert.Equal(1, report.Counts["budget"].Updated);
        await using var session = await target.Store.OpenAsync();
        var acme = (await session.Organisations.FindByNameAsync("acme"))!;
        var budget = (await session.Budgets.FindByNameAsync(acme.Id, "support-daily"))!;
        Assert.Equal(30.50m, budget.Amount);
        Assert.Equal(new Period(PeriodKind.Daily, "America/New_York"), budget.Period);
        Assert.Equal(LimitScope.Team, budget.Scope);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Broken_references_are_all_reported_by_path_and_nothing_is_written(StorageEngine engine)
    {
        await using var target = await ImportTarget.CreateAsync(engine);
        const string yaml = """
            version: 1
            organisations:
              - name: acme
                providers:
                  - name: offline
                    type: mock
                models:
                  - name: fast
                    provider: missing-provider
                  - name: odd
                    provider: offline
                    type: hologram
                api_keys:
                  - name: bot
                    models: [fast, nowhere]
                budgets:
                  - name: b
                    scope: team
                    target: ghosts
                    amount: 5
                    time_zone: Mars/Base
            """;

        var error = await Assert.ThrowsAsync<ConfigurationFileException>(() =>
            target.Importer.ImportAsync(ConfigFileReader.Parse(yaml, "odock.yaml", Environment), "odock.yaml"));

        Assert.Contains(error.Problems, p => p == "odock.yaml: organisations[acme].models[fast].provider: no provider named 'missing-provider' in organisation 'acme'");
        Assert.Contains(error.Problems, p => p.StartsWith("odock.yaml: organisations[acme].models[odd].type: 'hologram' is not one of: audio, chat", StringComparison.Ordinal));
        Assert.Contains(error.Problems, p => p == "odock.yaml: organisations[acme].api_keys[bot].models: no model named 'nowhere' in organisation 'acme'");
        Assert.Contains(error.Problems, p => p.StartsWith("odock.yaml: organisations[acme].budgets[b].time_zone: 'Mars/Base'", StringComparison.Ordinal));
        await using var session = await target.Store.OpenAsync();
        Assert.Empty(await session.Organisations.ListAsync());
    }

    [Fact]
    public async Task Names_declared_twice_are_refused_before_anything_is_read()
    {
        await using var target = await ImportTarget.CreateAsync(StorageEngine.Sqlite);
        const string yaml = """
            version: 1
            organisations:
              - name: acme
                teams: [{ name: support }, { name: support }]
            """;

        var error = await Assert.ThrowsAsync<ConfigurationFileException>(() =>
            target.Importer.ImportAsync(ConfigFileReader.Parse(yaml, "odock.yaml", Environment), "odock.yaml"));

        Assert.Equal("odock.yaml: organisations[acme].teams: 'support' is declared more than once", Assert.Single(error.Problems));
    }

    [Fact]
    public async Task Key_declared_without_a_secret_gets_one_generated_once()
    {
        await using var target = await ImportTarget.CreateAsync(StorageEngine.Sqlite);
        const string yaml = """
            version: 1
            organisations:
              - name: acme
                api_keys:
                  - name: ci
            """;
        var document = ConfigFileReader.Parse(yaml, "odock.yaml", Environment);

        var first = await target.Importer.ImportAsync(document, "odock.yaml");
        var second = await target.Importer.ImportAsync(ConfigFileReader.Parse(yaml, "odock.yaml", Environment), "odock.yaml");

        var generated = Assert.Single(first.GeneratedKeys);
        Assert.True(SecretToken.HasShape(generated.Secret, ApiKey.SecretPrefix));
        Assert.Empty(second.GeneratedKeys);
        await using var session = await target.Store.OpenAsync();
        Assert.NotNull(await session.ApiKeys.FindByHashAsync(SecretToken.Hash(generated.Secret)));
    }

    private static string? Environment(string name) => name switch
    {
        "ODOCK_DEMO_ADMIN_PASSWORD" => "correct horse battery staple",
        "ODOCK_DEMO_SUPPORT_KEY" => SupportKey,
        "ODOCK_DEMO_DEV_KEY" => DevKey,
        _ => null,
    };

    private sealed class ImportTarget : IAsyncDisposable
    {
        private readonly TestDatabase _database;

        private ImportTarget(TestDatabase database)
        {
            _database = database;
            Store = new OdockStore(database.Connections);
            Importer = new ConfigImporter(Store, Protector, TimeProvider.System);
        }

        public OdockStore Store { get; }

        public AesGcmSecretProtector Protector { get; } = new(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));

        public ConfigImporter Importer { get; }

        public static async Task<ImportTarget> CreateAsync(StorageEngine engine)
        {
            var database = await TestDatabase.CreateAsync(engine);
            await new MigrationRunner(database.Connections).ApplyAsync();
            return new ImportTarget(database);
        }

        public ValueTask DisposeAsync() => _database.DisposeAsync();
    }
}
