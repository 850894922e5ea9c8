using System.Text;
using Dapper;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Reporting;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Storage.Tests.Reporting;

public sealed class UsageQueriesTests
{
    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Listing_returns_exactly_the_rows_each_filter_selects_newest_first(StorageEngine engine)
    {
        await using var ledger = await SampleLedger.CreateAsync(engine);
        var filters = new[]
        {
            new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)),
            new UsageFilter(UsageSample.Day1.AddHours(5), UsageSample.Day1.AddHours(30)) { OrganisationId = UsageSample.Acme },
            new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)) { OrganisationId = UsageSample.Acme, TeamId = UsageSample.Teams[1], Succeeded = true },
            new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)) { UserId = UsageSample.Users[2], ModelId = UsageSample.Models[0] },
            new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)) { ApiKeyId = UsageSample.Keys[1], ProviderId = UsageSample.Providers[1], HttpStatus = 502 },
            new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)) { OrganisationId = UsageSample.Globex, Succeeded = false },
        };

        foreach (var filter in filters)
        {
            var page = await ledger.Queries.ListAsync(filter, UsageQueries.MaxPageSize);

            var expected = ledger.Records.Where(r => Matches(filter, r)).OrderByDescending(r => r.OccurredAt).Select(r => r.RequestId).ToArray();
            Assert.NotEmpty(expected);
            Assert.Equal(expected.Order(StringComparer.Ordinal), page.Records.Select(r => r.RequestId).Order(StringComparer.Ordinal));
            Assert.Equal(page.Records.OrderByDescending(r => r.OccurredAt).Select(r => r.OccurredAt), page.Records.Select(r => r.OccurredAt));
            Assert.Null(page.Next);
        }
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Keyset_pages_cover_every_row_once_even_where_rows_share_an_instant(StorageEngine engine)
    {
        await using var ledger = await SampleLedger.CreateAsync(engine);
        var filter = new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)) { OrganisationId = UsageSample.Acme };
        var all = (await ledger.Queries.ListAsync(filter, UsageQueries.MaxPageSize)).Records;

        var paged = new List<UsageRecord>();
        UsageCursor? cursor = null;
        do
        {
            var page = await ledger.Queries.ListAsync(filter, 7, cursor);
            paged.AddRange(page.Records);
            Assert.True(UsageCursor.TryParse(page.Next?.ToToken(), out cursor) || page.Next is null);
        }
        while (cursor is not null);

        Assert.Equal(all.Select(r => r.RequestId), paged.Select(r => r.RequestId));
        Assert.Equal(ledger.Records.Count(r => r.OrganisationId == UsageSample.Acme), paged.Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Daily_aggregates_by_model_equal_the_sums_of_their_rows(StorageEngine engine)
    {
        await using var ledger = await SampleLedger.CreateAsync(engine);
        var filter = new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)) { OrganisationId = UsageSample.Acme };

        var aggregates = await ledger.Queries.AggregateAsync(new UsageAggregateQuery(filter, UsageGranularity.Day) { GroupBy = [UsageDimension.Model] });

        var expected = ledger.Records.Where(r => Matches(filter, r))
            .GroupBy(r => (Day: new DateTimeOffset(r.OccurredAt.UtcDateTime.Date, TimeSpan.Zero), r.ModelId, r.Currency))
            .ToDictionary(g => g.Key, g => (Requests: (long)g.Count(), Failed: (long)g.Count(r => r.HttpStatus >= 400), Input: g.Sum(r => r.Tokens.InputTokens), Cached: g.Sum(r => r.Tokens.CachedInputTokens), Writes: g.Sum(r => r.Tokens.CacheWriteTokens), OneHourWrites: g.Sum(r => r.Tokens.CacheWriteOneHourTokens), Output: g.Sum(r => r.Tokens.OutputTokens), Reasoning: g.Sum(r => r.Tokens.ReasoningTokens), Images: g.Sum(r => r.Tokens.Images), Audio: g.Sum(r => r.Tokens.AudioSeconds), AudioOutput: g.Sum(r => r.Tokens.AudioOutputSeconds), Characters: g.Sum(r => r.Tokens.Characters), HostedToolCalls: g.Sum(r => r.Tokens.HostedToolCalls?.Total ?? 0), Cost: g.Sum(r => r.Cost)));
        Assert.Equal(expected.Count, aggregates.Count);
        foreach (var aggregate in aggregates)
        {
            var sums = expected[(aggregate.BucketStart, aggregate.ModelId, aggregate.Currency)];
            Assert.Equal(sums, (aggregate.Requests, aggregate.FailedRequests, aggregate.InputTokens, aggregate.CachedInputTokens, aggregate.CacheWriteTokens, aggregate.CacheWriteOneHourTokens, aggregate.OutputTokens, aggregate.ReasoningTokens, aggregate.Images, aggregate.AudioSeconds, aggregate.AudioOutputSeconds, aggregate.Characters, aggregate.HostedToolCalls, aggregate.Cost));
            Assert.Null(aggregate.TeamId);
        }

        Assert.Equal(aggregates.OrderBy(a => a.BucketStart).Select(a => a.BucketStart), aggregates.Select(a => a.BucketStart));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Hourly_aggregate_of_a_hand_picked_hour_matches_a_hand_computed_total(StorageEngine engine)
    {
        await using var ledger = await SampleLedger.CreateAsync(engine);

        // 00:00–01:00 on day 1 holds rows 0–4 (minutes 0, 17, 34, 51, 51), all Acme. Row 3 is a 429 with no tokens or
        // cost; row 0 is in EUR (cost 0.0000001 + 0.0015). USD and 200: rows 1, 2 and 4, input 1001 + 1002 + 1004,
        // cost 0.0000002 + 0.0000003 + 0.0000005 + 3 × 0.0015; one one-hour cache write (row 1), images 1 + 2 + 0,
        // audio in 0.5 + 1 + 0.5 s, audio out 0.25 + 0.5 + 1 s, characters 10 + 20 + 40, hosted tool calls (1 + 1) + 2 + 1.
        var aggregates = await ledger.Queries.AggregateAsync(new UsageAggregateQuery(
            new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddHours(1)) { OrganisationId = UsageSample.Acme },
            UsageGranularity.Hour)
        { GroupBy = [UsageDimension.HttpStatus] });

        var usd = Assert.Single(aggregates, a => a.Currency == "USD" && a.HttpStatus == 200);
        Assert.Equal(UsageSample.Day1, usd.BucketStart);
        Assert.Equal(3, usd.Requests);
        Assert.Equal(3007, usd.InputTokens);
        Assert.Equal(0.004501m, usd.Cost);
        Assert.Equal((1L, 3L, 2m, 1.75m, 70L, 5L), (usd.CacheWriteOneHourTokens, usd.Images, usd.AudioSeconds, usd.AudioOutputSeconds, usd.Characters, usd.HostedToolCalls));
        var refused = Assert.Single(aggregates, a => a.HttpStatus == 429);
        Assert.Equal((1L, 1L, 0m), (refused.Requests, refused.FailedRequests, refused.Cost));
        var eur = Assert.Single(aggregates, a => a.Currency == "EUR");
        Assert.Equal(0.0015001m, eur.Cost);
        Assert.Equal(3, aggregates.Count);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Aggregates_group_by_several_dimensions_at_once(StorageEngine engine)
    {
        await using var ledger = await SampleLedger.CreateAsync(engine);
        var filter = new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3));

        var aggregates = await ledger.Queries.AggregateAsync(new UsageAggregateQuery(filter, UsageGranularity.Day)
        {
            GroupBy = [UsageDimension.Team, UsageDimension.User, UsageDimension.ApiKey, UsageDimension.Provider, UsageDimension.Endpoint],
        });

        var expected = ledger.Records
            .GroupBy(r => (new DateTimeOffset(r.OccurredAt.UtcDateTime.Date, TimeSpan.Zero), r.TeamId, r.UserId, r.ApiKeyId, r.ProviderId, r.Endpoint, r.Currency))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Sum(r => r.Cost)));
        Assert.Equal(expected.Count, aggregates.Count);
        Assert.All(aggregates, a => Assert.Equal(expected[(a.BucketStart, a.TeamId, a.UserId, a.ApiKeyId, a.ProviderId, a.Endpoint!, a.Currency)], ((int)a.Requests, a.Cost)));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Csv_export_streams_the_filtered_rows_oldest_first_with_quoting(StorageEngine engine)
    {
        await using var ledger = await SampleLedger.CreateAsync(engine);
        var filter = new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddDays(3)) { OrganisationId = UsageSample.Acme, Succeeded = true };
        using var destination = new CountingStream();

        var count = await ledger.Queries.ExportCsvAsync(filter, destination);

        var text = Encoding.UTF8.GetString(destination.ToArray());
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var expected = ledger.Records.Where(r => Matches(filter, r)).OrderBy(r => r.OccurredAt).ThenBy(r => r.RequestId, StringComparer.Ordinal).ToArray();
        Assert.Equal(expected.Length, count);
        Assert.Equal(expected.Length + 1, lines.Length);
        Assert.StartsWith("occurred_at,request_id,kind,organisation_id", lines[0], StringComparison.Ordinal);
        Assert.Equal(expected.Select(r => r.RequestId).Order(StringComparer.Ordinal), lines.Skip(1).Select(l => l.Split(',')[1]).Order(StringComparer.Ordinal));
        Assert.Equal(expected.Select(r => r.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)), lines.Skip(1).Select(l => l.Split(',')[0]));
        Assert.Contains("\"odd, \"\"quoted\"\" name\"", text, StringComparison.Ordinal);
        var row1 = lines.Single(l => l.Contains(",req_0001,", StringComparison.Ordinal));
        Assert.EndsWith(",1001,1,1,201,1,1,0.5,0.0015002,USD,1,1024x1024,hd,0.25,10,2", row1, StringComparison.Ordinal);
        Assert.EndsWith(",characters,hosted_tool_calls", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Csv_export_writes_while_it_reads_rather_than_building_the_file_in_memory()
    {
        await using var ledger = await SampleLedger.CreateAsync(StorageEngine.Postgres, copies: 40);
        using var destination = new CountingStream();

        var count = await ledger.Queries.ExportCsvAsync(new UsageFilter(UsageSample.Day1, UsageSample.Day1.AddYears(1)), destination);

        // 9,600 rows of about 300 bytes leave the 64 KiB buffer dozens of times: the stream sees the file in pieces.
        Assert.Equal(9_600, count);
        Assert.True(destination.Writes > 20, $"{destination.Writes} writes");
    }

    [Fact]
    public async Task On_postgres_the_organisation_index_carries_every_quantity_the_aggregates_sum()
    {
        // Aggregates, invoices and organisation budget totals stay index-only scans only while the index holds every
        // column they read (migrations 0005, 0008 and 0011).
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Postgres);
        await new MigrationRunner(database.Connections).ApplyAsync();
        await using var connection = await database.Connections.OpenAsync();

        var definition = await connection.ExecuteScalarAsync<string>("SELECT pg_get_indexdef('usage_records_organisation_time'::regclass)") ?? string.Empty;

        var include = definition.IndexOf("INCLUDE (", StringComparison.Ordinal);
        Assert.True(include > 0, definition);
        Assert.Subset(
            definition[(include + "INCLUDE (".Length)..^1].Split(", ").ToHashSet(),
            new HashSet<string>
            {
                "http_status", "currency", "cost", "input_tokens", "cached_input_tokens", "cache_write_tokens", "cache_write_one_hour_tokens", "output_tokens",
                "reasoning_tokens", "images", "audio_seconds", "audio_output_seconds", "characters", "hosted_tool_calls",
            });
    }

    [Fact]
    public void Cursor_tokens_round_trip_and_garbage_is_refused()
    {
        var cursor = new UsageCursor(UsageSample.Day1.AddTicks(1234567), Guid.NewGuid());

        Assert.True(UsageCursor.TryParse(cursor.ToToken(), out var parsed));
        Assert.Equal(cursor, parsed);
        Assert.False(UsageCursor.TryParse("nonsense", out _));
        Assert.False(UsageCursor.TryParse("12.not-a-guid", out _));
        Assert.False(UsageCursor.TryParse(null, out _));
    }

    private static bool Matches(UsageFilter filter, UsageRecord r) =>
        r.OccurredAt >= filter.From && r.OccurredAt < filter.To
        && (filter.OrganisationId is null || r.OrganisationId == filter.OrganisationId)
        && (filter.TeamId is null || r.TeamId == filter.TeamId)
        && (filter.UserId is null || r.UserId == filter.UserId)
        && (filter.ApiKeyId is null || r.ApiKeyId == filter.ApiKeyId)
        && (filter.ModelId is null || r.ModelId == filter.ModelId)
        && (filter.ProviderId is null || r.ProviderId == filter.ProviderId)
        && (filter.HttpStatus is null || r.HttpStatus == filter.HttpStatus)
        && (filter.Succeeded is null || (r.HttpStatus < 400) == filter.Succeeded);

    /// <summary>A migrated database holding <see cref="UsageSample"/> (repeated <c>copies</c> times under fresh request ids).</summary>
    private sealed class SampleLedger : IAsyncDisposable
    {
        private readonly TestDatabase _database;

        private SampleLedger(TestDatabase database, IReadOnlyList<UsageRecord> records)
        {
            _database = database;
            Records = records;
            Queries = new UsageQueries(database.Connections);
        }

        public IReadOnlyList<UsageRecord> Records { get; }

        public UsageQueries Queries { get; }

        public static async Task<SampleLedger> CreateAsync(StorageEngine engine, int copies = 1)
        {
            var database = await TestDatabase.CreateAsync(engine);
            await new MigrationRunner(database.Connections).ApplyAsync();
            var sample = UsageSample.Create();
            var records = Enumerable.Range(0, copies)
                .SelectMany(copy => sample.Select(r => copy == 0 ? r : r with { Id = Guid.NewGuid(), RequestId = $"{r.RequestId}_{copy}" }))
                .ToArray();
            await using (var session = await new OdockStore(database.Connections).BeginTransactionAsync())
            {
                await session.Usage.AppendAsync(records);
                await session.CommitAsync();
            }

            return new SampleLedger(database, records);
        }

        public ValueTask DisposeAsync() => _database.DisposeAsync();
    }

    /// <summary>A memory stream that counts the writes it receives.</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Writes++;
            return base.WriteAsync(buffer, offset, count, cancellationToken);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
