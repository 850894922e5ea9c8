using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Storage.Connections;

namespace Odock.Admin.Tests.Api;

/// <summary>The usage ledger through <c>/usage</c>: filters, keyset pages, aggregates, the CSV export and who may read what.</summary>
public sealed class UsageApiTests
{
    private static readonly string Range = $"from={Iso(UsageLedger.Start)}&to={Iso(UsageLedger.End)}";

    [Theory]
    [InlineData(StorageEngine.Sqlite)]
    [InlineData(StorageEngine.Postgres)]
    public async Task Keyset_pages_of_a_filtered_listing_return_every_matching_row_once_newest_first(StorageEngine engine)
    {
        await using var host = await AdminHost.StartAsync(engine);
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);
        var admin = host.As(host.World.AcmeAdmin);
        var expected = ledger.Where(r => r.TeamId == host.World.Support.Id && r.HttpStatus == 200 && r.ModelId == UsageLedger.Models[0]).ToArray();

        var seen = new List<JsonObject>();
        var pages = 0;
        string? cursor = null;
        do
        {
            var url = $"usage?{Range}&team_id={host.World.Support.Id}&status=succeeded&model={UsageLedger.Models[0]}&limit=3"
                + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await OkAsync(admin.GetAsync(url));
            seen.AddRange(page["data"]!.AsArray().Select(r => r!.AsObject()));
            cursor = page["next_cursor"]?.GetValue<string>();
            pages++;
        }
        while (cursor is not null);

        Assert.True(pages >= 3, $"{expected.Length} rows came in {pages} pages of 3");
        Assert.Equal(expected.OrderByDescending(r => r.OccurredAt).Select(r => r.Id), seen.Select(r => Guid.Parse(r["id"]!.GetValue<string>())));
        Assert.All(seen, r => Assert.Equal(200, r["http_status"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData(StorageEngine.Sqlite)]
    [InlineData(StorageEngine.Postgres)]
    public async Task Daily_aggregates_by_model_equal_the_hand_sums_of_the_ledger(StorageEngine engine)
    {
        await using var host = await AdminHost.StartAsync(engine);
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);
        var expected = ledger.Where(r => r.OrganisationId == host.World.Acme.Id)
            .GroupBy(r => (Day: r.OccurredAt.UtcDateTime.Date, r.ModelId, r.Currency))
            .ToDictionary(g => g.Key, g => (Requests: g.LongCount(), Failed: g.LongCount(r => r.HttpStatus >= 400), Input: g.Sum(r => r.Tokens.InputTokens), Cost: g.Sum(r => r.Cost)));

        var result = await OkAsync(host.As(host.World.AcmeAdmin).GetAsync($"usage/aggregates?{Range}&bucket=day&group_by=model"));

        var rows = result["data"]!.AsArray().Select(r => r!.AsObject()).ToArray();
        Assert.Equal(expected.Count, rows.Length);
        foreach (var row in rows)
        {
            var key = (DateTimeOffset.Parse(row["bucket_start"]!.GetValue<string>(), CultureInfo.InvariantCulture).UtcDateTime.Date,
                (Guid?)Guid.Parse(row["model_id"]!.GetValue<string>()), row["currency"]!.GetValue<string>());
            var sums = expected[key];
            Assert.Equal(sums.Requests, row["requests"]!.GetValue<long>());
            Assert.Equal(sums.Failed, row["failed_requests"]!.GetValue<long>());
            Assert.Equal(sums.Input, row["input_tokens"]!.GetValue<long>());
            Assert.Equal(sums.Cost, row["cost"]!.GetValue<decimal>());
            Assert.Null(row["team_id"]);
        }
    }

    [Fact]
    public async Task Hourly_aggregates_by_team_and_provider_add_up_to_the_organisation_total()
    {
        await using var host = await AdminHost.StartAsync();
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);

        var result = await OkAsync(host.As(host.World.Super).GetAsync($"usage/aggregates?{Range}&organisation_id={host.World.Acme.Id}&bucket=hour&group_by=team,provider"));

        var rows = result["data"]!.AsArray().Select(r => r!.AsObject()).ToArray();
        Assert.Equal(["team", "provider"], result["group_by"]!.AsArray().Select(d => d!.GetValue<string>()));
        var acmeUsd = ledger.Where(r => r.OrganisationId == host.World.Acme.Id && r.Currency == "USD").ToArray();
        Assert.Equal(acmeUsd.Sum(r => r.Cost), rows.Where(r => r["currency"]!.GetValue<string>() == "USD").Sum(r => r["cost"]!.GetValue<decimal>()));
        Assert.Equal(acmeUsd.Length, rows.Where(r => r["currency"]!.GetValue<string>() == "USD").Sum(r => r["requests"]!.GetValue<long>()));
        Assert.All(rows, r => Assert.Equal(0, DateTimeOffset.Parse(r["bucket_start"]!.GetValue<string>(), CultureInfo.InvariantCulture).Minute));
    }

    [Theory]
    [InlineData(StorageEngine.Sqlite)]
    [InlineData(StorageEngine.Postgres)]
    public async Task A_listed_row_shows_every_priced_quantity_and_its_cost_breakdown(StorageEngine engine)
    {
        await using var host = await AdminHost.StartAsync(engine);
        var priced = new UsageRecord
        {
            Id = Guid.NewGuid(), RequestId = "req_priced", OccurredAt = UsageLedger.Start.AddMinutes(5), Kind = UsageKind.Model,
            OrganisationId = host.World.Acme.Id, Endpoint = "openai.responses", HttpStatus = 200, LatencyMs = 900, Currency = "USD", Cost = 0.0735m,
            Tokens = new TokenUsage
            {
                InputTokens = 100, CacheWriteTokens = 40, CacheWriteOneHourTokens = 30, Images = 2, ImageSize = "1024x1024", ImageQuality = "high",
                AudioSeconds = 1.5m, AudioOutputSeconds = 2.25m, Characters = 700, HostedToolCalls = HostedToolCalls.Of("web_search", 3),
            },
            CostBreakdownJson = """{"currency":"USD","input":0.0035,"hosted_tools":0.07}""",
        };
        await using (var session = await host.Store.OpenAsync())
        {
            await session.Usage.AppendAsync([priced]);
        }

        var row = (await OkAsync(host.As(host.World.AcmeAdmin).GetAsync($"usage?{Range}")))["data"]!.AsArray().Single()!;

        Assert.Equal(30, row["cache_write_one_hour_tokens"]!.GetValue<long>());
        Assert.Equal(2, row["images"]!.GetValue<long>());
        Assert.Equal("1024x1024", row["image_size"]!.GetValue<string>());
        Assert.Equal("high", row["image_quality"]!.GetValue<string>());
        Assert.Equal(1.5m, row["audio_seconds"]!.GetValue<decimal>());
        Assert.Equal(2.25m, row["audio_output_seconds"]!.GetValue<decimal>());
        Assert.Equal(700, row["characters"]!.GetValue<long>());
        Assert.Equal(3, row["hosted_tool_calls"]!.GetValue<long>());
        Assert.Equal(0.07m, row["cost_breakdown"]!["hosted_tools"]!.GetValue<decimal>());
        Assert.Equal(0.0735m, row["cost"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task The_csv_export_is_text_csv_with_a_header_and_one_row_per_matching_record()
    {
        await using var host = await AdminHost.StartAsync();
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);
        var expected = ledger.Where(r => r.OrganisationId == host.World.Acme.Id && r.HttpStatus == 429).ToArray();

        var response = await host.As(host.World.AcmeAdmin).GetAsync($"usage/export.csv?{Range}&status=429", HttpCompletionOption.ResponseHeadersRead);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Null(response.Content.Headers.ContentLength);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("occurred_at,request_id,", lines[0], StringComparison.Ordinal);
        Assert.Equal(expected.Length, lines.Length - 1);
        Assert.All(expected, r => Assert.Contains(lines, l => l.Contains($",{r.RequestId},", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Another_organisations_usage_is_refused_and_its_admin_sees_only_their_own()
    {
        await using var host = await AdminHost.StartAsync();
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);
        var globex = host.As(host.World.GlobexAdmin);

        Assert.Equal(HttpStatusCode.Forbidden, (await globex.GetAsync($"usage?{Range}&organisation_id={host.World.Acme.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await globex.GetAsync($"usage/aggregates?{Range}&organisation_id={host.World.Acme.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await globex.GetAsync($"usage/export.csv?{Range}&organisation_id={host.World.Acme.Id}")).StatusCode);
        var own = await OkAsync(globex.GetAsync($"usage?{Range}&limit=200"));
        Assert.Equal(ledger.Count(r => r.OrganisationId == host.World.Globex.Id), own["data"]!.AsArray().Count);
        Assert.All(own["data"]!.AsArray(), r => Assert.Equal(host.World.Globex.Id, Guid.Parse(r!["organisation_id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task A_manager_reads_only_their_teams_usage_and_a_user_only_their_own()
    {
        await using var host = await AdminHost.StartAsync();
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);
        var w = host.World;
        var manager = host.As(w.Manager);
        var dana = host.As(w.Dana);

        var teamRows = await OkAsync(manager.GetAsync($"usage?{Range}&limit=200"));
        Assert.Equal(ledger.Count(r => r.TeamId == w.Support.Id), teamRows["data"]!.AsArray().Count);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"usage?{Range}&team_id={w.Research.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"usage/aggregates?{Range}&team_id={w.Research.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"usage/export.csv?{Range}&team_id={w.Research.Id}")).StatusCode);

        var own = await OkAsync(dana.GetAsync($"usage?{Range}&limit=200"));
        Assert.Equal(ledger.Count(r => r.UserId == w.Dana.Id), own["data"]!.AsArray().Count);
        Assert.All(own["data"]!.AsArray(), r => Assert.Equal(w.Dana.Id, Guid.Parse(r!["user_id"]!.GetValue<string>())));
        var ownTotal = await OkAsync(dana.GetAsync($"usage/aggregates?{Range}"));
        Assert.Equal(ledger.Count(r => r.UserId == w.Dana.Id), ownTotal["data"]!.AsArray().Sum(r => r!["requests"]!.GetValue<long>()));
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.GetAsync($"usage?{Range}&user_id={w.Manager.Id}")).StatusCode);
        var csv = await (await dana.GetAsync($"usage/export.csv?{Range}")).Content.ReadAsStringAsync();
        Assert.Equal(ledger.Count(r => r.UserId == w.Dana.Id), csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1);
    }

    [Theory]
    [InlineData("usage?from=2026-11-23T00:00:00Z&to=2026-11-20T00:00:00Z", "to")]
    [InlineData("usage?from=yesterday", "from")]
    [InlineData("usage?status=teapot", "status")]
    [InlineData("usage?limit=0", "limit")]
    [InlineData("usage?cursor=page-2", "cursor")]
    [InlineData("usage/aggregates?group_by=model,colour", "group_by")]
    [InlineData("usage/aggregates?bucket=week", "bucket")]
    [InlineData("usage/export.csv?from=2026-11-23T00:00:00Z&to=2026-11-23T00:00:00Z", "to")]
    public async Task A_bad_range_or_unknown_grouping_is_a_400_naming_the_field(string url, string field)
    {
        await using var host = await AdminHost.StartAsync();

        var response = await host.As(host.World.AcmeAdmin).GetAsync(url);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.NotNull((await AdminHost.JsonAsync(response))["errors"]![field]);
    }

    private static async Task<JsonObject> OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await AdminHost.JsonAsync(response);
    }

    private static string Iso(DateTimeOffset instant) => Uri.EscapeDataString(instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
}
