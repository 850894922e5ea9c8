using Odock.Admin.Configuration;
using Odock.Domain.Models;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Secrets;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Admin.Tests.Configuration;

public sealed class PricingImportTests
{
    private const string Header = """
        version: 1
        organisations:
          - name: acme
            providers:
              - name: openai
                type: openai
                keys:
                  - name: default
                    secret: sk-not-a-real-key
            models:
        """;

    [Fact]
    public async Task A_price_schedule_imports_with_every_price_type_and_a_second_import_changes_nothing()
    {
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Sqlite);
        var importer = await ImporterAsync(database);
        var yaml = Header + """

                  - name: image-1
                    provider: openai
                    type: image
                    pricing:
                      currency: EUR
                      schedule:
                        - input_per_million: 5
                          per_image: 0.04
                          output_tokens_per_image: 4160
                          image_prices:
                            1024x1024/high: 0.167
                            1024x1024: 0.042
                        - effective_from: 2026-12-01T00:00:00Z
                          input_per_million: 4
                          cache_write_one_hour_per_million: 8
                          audio_input_per_second: 0.0001
                          audio_output_per_second: 0.0004
                          per_thousand_characters: 0.015
                          hosted_tool_prices:
                            web_search: 0.01
                            code_interpreter: 0.03
            """;

        var first = await importer.ImportAsync(ConfigFileReader.Parse(yaml, "odock.yaml", _ => null), "odock.yaml");
        var second = await importer.ImportAsync(ConfigFileReader.Parse(yaml, "odock.yaml", _ => null), "odock.yaml");

        Assert.Equal(1, first.Counts["model"].Created);
        Assert.Equal(0, second.Changes);
        await using var session = await new OdockStore(database.Connections).OpenAsync();
        var acme = (await session.Organisations.FindByNameAsync("acme"))!;
        var model = (await session.Models.FindByNameAsync(acme.Id, "image-1"))!;
        Assert.Equal(2, model.Pricing.Entries.Count);
        Assert.All(model.Pricing.Entries, entry => Assert.Equal("EUR", entry.Currency));
        Assert.Equal(0.167m, model.Pricing.Entries[0].ImagePrices["1024x1024/high"]);
        Assert.Equal(4160, model.Pricing.Entries[0].OutputTokensPerImage);
        Assert.Null(model.Pricing.Entries[1].OutputTokensPerImage);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), model.Pricing.Entries[1].EffectiveFrom);
        Assert.Equal(0.015m, model.Pricing.Entries[1].PerThousandCharacters);
        Assert.Equal(
            [("code_interpreter", 0.03m), ("web_search", 0.01m)],
            model.Pricing.Entries[1].HostedToolPrices.Select(p => (p.Key, p.Value)).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Empty(model.Pricing.Entries[0].HostedToolPrices);
        Assert.Equal(4m, model.Pricing.At(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)).InputPerMillion);
    }

    [Fact]
    public async Task Schedule_mistakes_are_reported_with_their_path()
    {
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Sqlite);
        var importer = await ImporterAsync(database);
        var yaml = Header + """

                  - name: chat-1
                    provider: openai
                    pricing:
                      currency: USD
                      input_per_million: 1
                      schedule:
                        - output_per_million: 2
                  - name: chat-2
                    provider: openai
                    pricing:
                      currency: USD
                      schedule:
                        - input_per_million: 1
                          image_prices:
                            1024x1024:
                        - effective_from: first of december
                          input_per_million: 2
                          hosted_tool_prices:
                            web_search:
                            file_search: 0.0025
                  - name: chat-3
                    provider: openai
                    pricing:
                      currency: USD
                      schedule:
                        - effective_from: 2026-12-01T00:00:00Z
                          input_per_million: 1
                        - effective_from: 2026-12-01T00:00:00Z
                          input_per_million: -2
                          hosted_tool_prices:
                            web_search: -0.01
                  - name: chat-4
                    provider: openai
                    pricing:
                      hosted_tool_prices:
                        web_search: 0.01
                      schedule:
                        - input_per_million: 1
            """;

        var error = await Assert.ThrowsAsync<ConfigurationFileException>(() =>
            importer.ImportAsync(ConfigFileReader.Parse(yaml, "odock.yaml", _ => null), "odock.yaml"));

        Assert.Equal(
            [
                "odock.yaml: organisations[acme].models[chat-1].pricing.schedule: write the prices either directly under pricing or as schedule entries, not both",
                "odock.yaml: organisations[acme].models[chat-2].pricing.schedule[0].image_prices.1024x1024: is missing a price",
                "odock.yaml: organisations[acme].models[chat-2].pricing.schedule[1].effective_from: 'first of december' is not an ISO 8601 instant (for example 2026-12-01T00:00:00Z)",
                "odock.yaml: organisations[acme].models[chat-2].pricing.schedule[1].hosted_tool_prices.web_search: is missing a price",
                "odock.yaml: organisations[acme].models[chat-3].pricing.schedule[1].input_per_million: must not be negative",
                "odock.yaml: organisations[acme].models[chat-3].pricing.schedule[1].hosted_tool_prices.web_search: must not be negative",
                "odock.yaml: organisations[acme].models[chat-3].pricing.schedule[1].effective_from: 2026-12-01T00:00:00.0000000+00:00 is also the start of schedule[0]; two prices cannot take effect at the same instant",
                "odock.yaml: organisations[acme].models[chat-4].pricing.schedule: write the prices either directly under pricing or as schedule entries, not both",
            ],
            error.Problems);
    }

    private static async Task<ConfigImporter> ImporterAsync(TestDatabase database)
    {
        await new MigrationRunner(database.Connections).ApplyAsync();
        return new ConfigImporter(new OdockStore(database.Connections), new AesGcmSecretProtector(new byte[AesGcmSecretProtector.KeySize]), TimeProvider.System);
    }
}
