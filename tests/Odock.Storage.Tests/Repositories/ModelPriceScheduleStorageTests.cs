using Dapper;
using Odock.Domain.Models;
using Odock.Domain.Pricing;
using Odock.Storage.Connections;
using Odock.Storage.Sql;
using Odock.Testing;

namespace Odock.Storage.Tests.Repositories;

public sealed class ModelPriceScheduleStorageTests
{
    private const string PricingWrittenBeforeSchedules =
        """{"currency":"EUR","input_per_million":1.1,"cached_input_per_million":0.275,"output_per_million":4.4,"per_request":0.0000001,"per_image":0,"per_audio_minute":0}""";

    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_pricing_row_written_before_schedules_reads_as_one_entry_since_the_beginning(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var (provider, _) = await fixture.AddProviderAsync(acme.Id);
        var model = await fixture.AddModelAsync(acme.Id, provider.Id);
        await using (var connection = await fixture.Connections.OpenAsync())
        {
            await connection.ExecuteAsync("UPDATE models SET pricing = @Pricing WHERE name = @Name", new { Pricing = PricingWrittenBeforeSchedules, Name = model.Name });
        }

        await using var session = await fixture.Store.OpenAsync();
        var stored = await session.Models.GetAsync(model.Id);

        var entry = Assert.Single(stored!.Pricing.Entries);
        Assert.Null(entry.EffectiveFrom);
        Assert.Equal(new ModelPricing { Currency = "EUR", InputPerMillion = 1.1m, CachedInputPerMillion = 0.275m, OutputPerMillion = 4.4m, PerRequest = 0.0000001m }, entry);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_schedule_with_every_price_type_round_trips(StorageEngine engine)
    {
        await using var fixture = await StoreFixture.CreateAsync(engine);
        var acme = await fixture.AddOrganisationAsync();
        var (provider, _) = await fixture.AddProviderAsync(acme.Id);
        var model = await fixture.AddModelAsync(acme.Id, provider.Id);
        var schedule = new ModelPriceSchedule
        {
            Entries =
            [
                new ModelPricing { Currency = "USD", InputPerMillion = 3m, OutputPerMillion = 15m },
                new ModelPricing
                {
                    Currency = "USD", EffectiveFrom = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), InputPerMillion = 2.5m, CachedInputPerMillion = 0.25m,
                    CacheWritePerMillion = 3.125m, CacheWriteOneHourPerMillion = 5m, OutputPerMillion = 12.5m, ReasoningPerMillion = 14m, EmbeddingPerMillion = 0.02m,
                    PerRequest = 0.001m, PerImage = 0.04m, ImagePrices = new Dictionary<string, decimal> { ["1024x1024/high"] = 0.167m },
                    AudioInputPerSecond = 0.0001m, AudioOutputPerSecond = 0.0004m, PerThousandCharacters = 0.015m,
                    HostedToolPrices = new Dictionary<string, decimal> { ["web_search"] = 0.01m, ["code_interpreter"] = 0.03m },
                },
            ],
        };
        await using var session = await fixture.Store.OpenAsync();
        await session.Models.UpdateAsync(model with { Pricing = schedule });

        var stored = await session.Models.GetAsync(model.Id);

        Assert.Equal(schedule, stored!.Pricing);
        Assert.Contains("\"hosted_tool_prices\":{\"web_search\":0.01,\"code_interpreter\":0.03}", StorageJson.Write(schedule), StringComparison.Ordinal);
    }

    [Fact]
    public void One_undated_entry_is_stored_as_the_plain_object_older_processes_read()
    {
        ModelPriceSchedule schedule = new ModelPricing { Currency = "USD", InputPerMillion = 2m };

        var json = StorageJson.Write(schedule);

        Assert.StartsWith("{\"currency\":\"USD\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("schedule", json, StringComparison.Ordinal);
        Assert.Equal(2m, StorageJson.Read<ModelPricing>(json).InputPerMillion);
    }

    [Fact]
    public void A_dated_schedule_is_stored_under_schedule()
    {
        var schedule = new ModelPriceSchedule { Entries = [new ModelPricing { Currency = "USD", EffectiveFrom = DateTimeOffset.UnixEpoch }] };

        var json = StorageJson.Write(schedule);

        Assert.StartsWith("{\"schedule\":[{", json, StringComparison.Ordinal);
        Assert.Equal(schedule, StorageJson.Read<ModelPriceSchedule>(json));
    }
}
