using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using Odock.Storage.Ledger;
using Odock.Storage.Migrations;
using Odock.Storage.Repositories;
using Odock.Storage.Store;
using Odock.Testing;
using Odock.Testing.Network;

namespace Odock.Storage.Tests.Ledger;

public sealed class LedgerWriterTests : IDisposable
{
    private readonly string _spoolDirectory = Path.Combine(Path.GetTempPath(), "odock-ledger-" + Guid.NewGuid().ToString("N"));

    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Every_record_is_written_once_and_repeated_request_ids_are_skipped(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        await using var writer = NewWriter(database.Connections, new LedgerOptions { BatchSize = 700 });
        await writer.StartAsync(CancellationToken.None);
        var records = Enumerable.Range(0, 3000).Select(LedgerRecords.Numbered).ToArray();

        foreach (var record in records)
        {
            await writer.AppendAsync(record);
            if (record.Tokens.InputTokens % 7 == 0)
            {
                // The same request again (a retried producer), with a fresh row id: one of the two may land in the same batch.
                await writer.AppendAsync(record with { Id = Guid.NewGuid() });
            }
        }

        await IdleAsync(writer);
        await writer.DrainAsync(CancellationToken.None);

        var repeated = records.Count(r => r.Tokens.InputTokens % 7 == 0);
        Assert.Equal(records.Length, await LedgerTable.CountAsync(database.Connections));
        Assert.Equal(records.Length, writer.Written);
        Assert.Equal(repeated, writer.Duplicates);
        Assert.Equal(0, writer.Spooled);
        var stored = await ListAsync(database.Connections);
        Assert.Equal(records.Select(r => r.RequestId).Order(StringComparer.Ordinal), stored.Select(r => r.RequestId).Order(StringComparer.Ordinal));
        Assert.Equal(records[42], stored.Single(r => r.RequestId == records[42].RequestId));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task New_record_fields_round_trip_through_the_bulk_path(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        await using var writer = NewWriter(database.Connections, new LedgerOptions());
        await writer.StartAsync(CancellationToken.None);
        var record = LedgerRecords.Numbered(1) with
        {
            HttpStatus = 499,
            ErrorCode = "client_disconnected",
            ErrorClass = UsageErrorClass.ClientDisconnected,
            ClientDisconnected = true,
            TokensEstimated = true,
            RoutingAttempts = 3,
            TimeToFirstTokenMs = 812,
            Streamed = true,
            TeamId = Guid.NewGuid(),
            UserId = Guid.NewGuid(),
            ModelId = Guid.NewGuid(),
            ProviderId = Guid.NewGuid(),
            CostBreakdownJson = """{"input":0.00004,"output":0.00006}""",
            RoutingJson = """{"attempts":[{"target":"a","error":"upstream_timeout"}]}""",
            Tokens = LedgerRecords.Numbered(1).Tokens with { CachedInputTokens = 64, ReasoningTokens = 9, Images = 2, AudioSeconds = 1.25m },
            Cost = 0.0123456789m,
        };

        await writer.AppendAsync(record);
        await writer.DrainAsync(CancellationToken.None);

        Assert.Equal(record, Assert.Single(await ListAsync(database.Connections)));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_row_recorded_with_its_cost_breakdown_equals_the_same_row_read_back_as_json(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        await using var writer = NewWriter(database.Connections, new LedgerOptions());
        await writer.StartAsync(CancellationToken.None);
        // As the gateway records it: the breakdown itself, spelled only by the writer.
        var breakdown = new CostBreakdown("USD", 0.00004m, 0.000001m, 0, 0, 0.00006m, 0.00002m, 0, 0, 0);
        var record = LedgerRecords.Numbered(1) with { CostBreakdown = breakdown, Cost = breakdown.Total };

        await writer.AppendAsync(record);
        await writer.DrainAsync(CancellationToken.None);

        var stored = Assert.Single(await ListAsync(database.Connections));
        Assert.Null(stored.CostBreakdown);
        Assert.Equal(breakdown.ToJson(), stored.CostBreakdownJson);
        Assert.Equal(record, stored);
        Assert.Equal(record.GetHashCode(), stored.GetHashCode());
        Assert.NotEqual(record, stored with { CostBreakdownJson = breakdown.ToJson().Replace("0.00004", "0.00005", StringComparison.Ordinal) });
        Assert.NotEqual(record, stored with { CostBreakdownJson = null });
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Priced_quantities_round_trip_through_the_bulk_path(StorageEngine engine)
    {
        var (records, stored) = await ThroughTheBulkPathAsync(engine, LedgerRecords.WithPricedQuantities);

        Assert.Equal(records, stored);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Priced_quantities_survive_the_spool_and_a_line_spooled_before_they_existed_still_replays(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        Directory.CreateDirectory(_spoolDirectory);
        await File.WriteAllTextAsync(Path.Combine(_spoolDirectory, LedgerSpool.FileName), SpoolLine(SpooledBeforeMigration0008));
        await using var writer = NewWriter(database.Connections, new LedgerOptions { Capacity = 1, EnqueueTimeout = TimeSpan.Zero });
        var records = Enumerable.Range(1, 5).Select(LedgerRecords.WithPricedQuantities).ToArray();

        // Not started: the first record fills the queue and the rest can only go to the spool, behind the old line.
        await writer.AppendAsync(LedgerRecords.Numbered(0));
        foreach (var record in records)
        {
            await writer.AppendAsync(record);
        }

        Assert.Equal(records.Length, writer.Spooled);
        Assert.Contains("\"cache_write_one_hour_tokens\":125", await File.ReadAllTextAsync(writer.SpoolPath), StringComparison.Ordinal);
        await writer.StartAsync(CancellationToken.None);
        await IdleAsync(writer);
        await writer.DrainAsync(CancellationToken.None);

        var stored = (await ListAsync(database.Connections)).ToDictionary(r => r.RequestId, StringComparer.Ordinal);
        Assert.Equal(7, stored.Count);
        Assert.All(records, record => Assert.Equal(record, stored[record.RequestId]));
        Assert.Equal(LedgerRecords.Numbered(99) with { Id = SpooledBeforeMigration0008Id }, stored[LedgerRecords.RequestId(99)]);
        Assert.Equal(0, writer.DeadLettered);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Hosted_tool_calls_reach_the_ledger_through_the_bulk_path_as_their_total(StorageEngine engine)
    {
        var (records, stored) = await ThroughTheBulkPathAsync(engine, LedgerRecords.WithHostedToolCalls);

        Assert.Equal(records.Select(LedgerRecords.AsStored), stored);
        Assert.Equal(8, stored[5].Tokens.HostedToolCalls![UsageRepository.AllHostedTools]);
        Assert.Null(stored[4].Tokens.HostedToolCalls);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Hosted_tool_calls_keep_their_split_by_tool_in_the_spool_and_replay_as_their_total(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        await using var writer = NewWriter(database.Connections, new LedgerOptions { Capacity = 1, EnqueueTimeout = TimeSpan.Zero });
        var records = Enumerable.Range(1, 5).Select(LedgerRecords.WithHostedToolCalls).ToArray();

        // Not started: the first record fills the queue and the rest can only go to the spool.
        await writer.AppendAsync(LedgerRecords.Numbered(0));
        foreach (var record in records)
        {
            await writer.AppendAsync(record);
        }

        var spooled = await File.ReadAllLinesAsync(writer.SpoolPath);
        Assert.Contains("\"hosted_tool_calls\":{\"code_interpreter\":1,\"web_search\":3}", spooled[0], StringComparison.Ordinal);
        Assert.Equal(records, spooled.Select(line => JsonSerializer.Deserialize(line.AsSpan(9), LedgerJsonContext.Default.UsageRecord)));
        await writer.StartAsync(CancellationToken.None);
        await IdleAsync(writer);
        await writer.DrainAsync(CancellationToken.None);

        var stored = (await ListAsync(database.Connections)).ToDictionary(r => r.RequestId, StringComparer.Ordinal);
        Assert.All(records, record => Assert.Equal(LedgerRecords.AsStored(record), stored[record.RequestId]));
        Assert.Equal(0, writer.DeadLettered);
    }

    [Fact]
    public async Task Records_spool_while_the_database_is_unreachable_and_replay_exactly_once_in_order_when_it_returns()
    {
        await using var postgres = await PostgresTestDatabase.CreateAsync("odock_ledger");
        using (var direct = postgres.CreateConnectionFactory())
        {
            await new MigrationRunner(direct).ApplyAsync();
        }

        var server = new NpgsqlConnectionStringBuilder(postgres.ConnectionString);
        await using var link = new CuttableTcpProxy(new IPEndPoint(IPAddress.Loopback, server.Port));
        using var throughLink = new PostgresConnectionFactory(new NpgsqlConnectionStringBuilder(postgres.ConnectionString)
        {
            Host = "127.0.0.1", Port = link.Port, Timeout = 3, CommandTimeout = 10,
        }.ConnectionString);
        var options = new LedgerOptions { Capacity = 500, BatchSize = 200, RetryInterval = TimeSpan.FromMilliseconds(100), EnqueueTimeout = TimeSpan.FromSeconds(1) };
        await using var writer = NewWriter(throughLink, options);
        await writer.StartAsync(CancellationToken.None);
        var sequence = 0;

        sequence = await AppendAsync(writer, sequence, 2_000);
        await IdleAsync(writer);
        link.Cut();
        sequence = await AppendAsync(writer, sequence, 6_000);
        await WaitForAsync(() => writer.Spooled >= 6_000, "the outage's records to reach the spool");
        var spooledBytes = new FileInfo(writer.SpoolPath).Length;
        link.Restore();
        sequence = await AppendAsync(writer, sequence, 2_000);
        await IdleAsync(writer);
        await writer.DrainAsync(CancellationToken.None);

        using var direct2 = postgres.CreateConnectionFactory();
        var recorded = await LedgerTable.WrittenOrderAsync(direct2);
        Assert.Equal(sequence, recorded.Count);
        Assert.Equal(Enumerable.Range(0, sequence).Select(LedgerRecords.RequestId), recorded.Select(r => r.RequestId));
        for (var i = 1; i < recorded.Count; i++)
        {
            Assert.True(string.CompareOrdinal(recorded[i - 1].WrittenAt, recorded[i].WrittenAt) < 0, $"{recorded[i].RequestId} was written before {recorded[i - 1].RequestId}");
        }

        Assert.True(spooledBytes > 0);
        Assert.InRange(writer.PeakQueueDepth, 0, options.Capacity);
        Assert.Equal(0, new FileInfo(writer.SpoolPath).Length);
        Assert.Equal(sequence, writer.Written);
        Assert.Equal(0, writer.DeadLettered);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_full_queue_sends_records_to_the_spool_instead_of_growing_and_none_is_lost(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        await using var writer = NewWriter(database.Connections, new LedgerOptions { Capacity = 10, EnqueueTimeout = TimeSpan.Zero });

        // Not started yet: nothing drains the queue, so it fills after ten records.
        for (var i = 0; i < 50; i++)
        {
            await writer.AppendAsync(LedgerRecords.Numbered(i));
        }

        Assert.Equal(40, writer.Spooled);
        await writer.StartAsync(CancellationToken.None);
        await IdleAsync(writer);
        await writer.DrainAsync(CancellationToken.None);

        Assert.Equal(50, await LedgerTable.CountAsync(database.Connections));
        Assert.Equal(0, new FileInfo(writer.SpoolPath).Length);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Graceful_shutdown_under_load_loses_nothing(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        var options = new LedgerOptions { Capacity = 2_000, BatchSize = 500 };
        var writer = NewWriter(database.Connections, options);
        await writer.StartAsync(CancellationToken.None);
        var sent = 0;
        var producers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < 5_000; i++)
            {
                await writer.AppendAsync(LedgerRecords.Numbered((p * 5_000) + i));
                Interlocked.Increment(ref sent);
            }
        })).ToArray();

        await WaitForAsync(() => Volatile.Read(ref sent) >= 8_000, "the producers to be under way");
        await writer.DrainAsync(CancellationToken.None);
        await Task.WhenAll(producers);
        var inLedgerAtStop = await LedgerTable.CountAsync(database.Connections);
        await writer.DisposeAsync();

        // Records that arrived after the drain began were spooled; the next start replays them.
        await using var next = NewWriter(database.Connections, options);
        await next.StartAsync(CancellationToken.None);
        await IdleAsync(next);
        await next.DrainAsync(CancellationToken.None);

        Assert.Equal(20_000, await LedgerTable.CountAsync(database.Connections));
        Assert.Equal(20_000 - inLedgerAtStop, next.Written);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Shutdown_past_its_deadline_spools_what_is_queued_and_the_next_start_writes_it(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        var writer = NewWriter(database.Connections, new LedgerOptions());
        for (var i = 0; i < 300; i++)
        {
            await writer.AppendAsync(LedgerRecords.Numbered(i));
        }

        await writer.StartAsync(CancellationToken.None);
        await writer.DrainAsync(new CancellationToken(canceled: true));
        var written = writer.Written;
        await writer.DisposeAsync();
        await using var next = NewWriter(database.Connections, new LedgerOptions());
        await next.StartAsync(CancellationToken.None);
        await IdleAsync(next);

        Assert.Equal(300, await LedgerTable.CountAsync(database.Connections));
        Assert.Equal(300, written + next.Written);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_poison_record_goes_to_the_dead_letter_file_with_its_reason_and_the_rest_of_its_batch_is_written(StorageEngine engine)
    {
        await using var database = await MigratedAsync(engine);
        await using var writer = NewWriter(database.Connections, new LedgerOptions { BatchSize = 100 });
        var poison = LedgerRecords.Numbered(37) with { Endpoint = null! };
        for (var i = 0; i < 100; i++)
        {
            await writer.AppendAsync(i == 37 ? poison : LedgerRecords.Numbered(i));
        }

        await writer.StartAsync(CancellationToken.None);
        await IdleAsync(writer);
        await writer.DrainAsync(CancellationToken.None);

        Assert.Equal(99, await LedgerTable.CountAsync(database.Connections));
        Assert.Equal(1, writer.DeadLettered);
        var line = Assert.Single(await File.ReadAllLinesAsync(writer.DeadLetterPath));
        using var entry = JsonDocument.Parse(line);
        Assert.Equal(poison.RequestId, entry.RootElement.GetProperty("record").GetProperty("request_id").GetString());
        Assert.Contains("endpoint", entry.RootElement.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, new FileInfo(writer.SpoolPath).Length);
    }

    [Fact]
    public async Task Value_the_database_cannot_hold_is_dead_lettered_on_the_copy_path()
    {
        await using var database = await MigratedAsync(StorageEngine.Postgres);
        await using var writer = NewWriter(database.Connections, new LedgerOptions());
        for (var i = 0; i < 10; i++)
        {
            await writer.AppendAsync(i == 4 ? LedgerRecords.Numbered(i) with { Cost = 123_456_789_012m } : LedgerRecords.Numbered(i));
        }

        await writer.StartAsync(CancellationToken.None);
        await IdleAsync(writer);

        Assert.Equal(9, await LedgerTable.CountAsync(database.Connections));
        var line = Assert.Single(await File.ReadAllLinesAsync(writer.DeadLetterPath));
        Assert.Contains("22003", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spool_left_by_a_crash_is_replayed_on_start_and_its_damaged_lines_are_dead_lettered()
    {
        await using var database = await MigratedAsync(StorageEngine.Sqlite);
        Directory.CreateDirectory(_spoolDirectory);
        var good = JsonSerializer.SerializeToUtf8Bytes(LedgerRecords.Numbered(1), LedgerJsonContext.Default.UsageRecord);
        var damaged = JsonSerializer.SerializeToUtf8Bytes(LedgerRecords.Numbered(2), LedgerJsonContext.Default.UsageRecord);
        var checksum = Crc32.Compute(good).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
        var lines = $"{checksum} {System.Text.Encoding.UTF8.GetString(good)}\n"
            + $"{Crc32.Compute(damaged) ^ 1:x8} {System.Text.Encoding.UTF8.GetString(damaged)}\n"
            + $"{checksum} {System.Text.Encoding.UTF8.GetString(good)[..40]}";
        await File.WriteAllTextAsync(Path.Combine(_spoolDirectory, LedgerSpool.FileName), lines);

        await using var writer = NewWriter(database.Connections, new LedgerOptions());
        await writer.StartAsync(CancellationToken.None);
        await IdleAsync(writer);

        Assert.Equal(LedgerRecords.RequestId(1), Assert.Single(await ListAsync(database.Connections)).RequestId);
        var deadLetters = await File.ReadAllLinesAsync(writer.DeadLetterPath);
        Assert.Equal(2, deadLetters.Length);
        Assert.All(deadLetters, line => Assert.Contains("checksum", line, StringComparison.Ordinal));
        Assert.Equal(0, new FileInfo(writer.SpoolPath).Length);
    }

    [Fact]
    public async Task The_writer_leaves_the_cpu_to_requests_while_it_keeps_up_and_competes_for_it_when_a_backlog_builds()
    {
        if (!OperatingSystem.IsLinux() || !WriterThreadPriority.CanReturnFromIdle())
        {
            return;
        }

        await using var database = await MigratedAsync(StorageEngine.Sqlite);
        // A batch of 10 steps the writer up once 10 records wait; the long linger lets a burst pile up behind the first.
        await using var writer = NewWriter(database.Connections, new LedgerOptions { BatchSize = 10, Linger = TimeSpan.FromMilliseconds(300) });
        await writer.StartAsync(CancellationToken.None);
        await writer.AppendAsync(LedgerRecords.Numbered(0));
        await IdleAsync(writer);
        Assert.True(writer.WriterIsIdle);

        for (var i = 1; i <= 100; i++)
        {
            await writer.AppendAsync(LedgerRecords.Numbered(i));
        }

        await IdleAsync(writer);
        Assert.False(writer.WriterIsIdle);
        Assert.Equal(101, await LedgerTable.CountAsync(database.Connections));

        await writer.AppendAsync(LedgerRecords.Numbered(101));
        await IdleAsync(writer);
        Assert.True(writer.WriterIsIdle);
        Assert.Equal(102, await LedgerTable.CountAsync(database.Connections));
    }

    [Fact]
    public void Python_zlib_crc32_and_the_spool_checksum_agree()
    {
        // zlib.crc32(b"123456789") == 0xcbf43926, the standard CRC-32 check value.
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));
    }

    /// <summary>LedgerRecords.Numbered(99) as the spool held it before migration 0008: no priced quantities beyond audio input.</summary>
    private const string SpooledBeforeMigration0008 =
        """{"id":"6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7","request_id":"req_00000099","occurred_at":"2026-11-01T00:01:39+00:00","kind":"Model","organisation_id":"0b1e1d9a-41c5-4a55-8a8e-58a0f3a43c01","api_key_id":"5c7b2f0e-8f7a-4a8e-9d0e-1f2a3b4c5d6e","endpoint":"openai.chat_completions","requested_model":"support-fast","model_name":"support-fast","upstream_slug":"gpt-4.1-mini","http_status":200,"streamed":false,"latency_ms":120,"time_to_first_token_ms":40,"client_disconnected":false,"tokens_estimated":false,"tokens":{"input_tokens":199,"cached_input_tokens":0,"cache_write_tokens":0,"output_tokens":20,"reasoning_tokens":0,"images":0,"audio_seconds":0,"total_tokens":219},"cost":0.0001,"currency":"USD","provider_usage_json":"{\u0022prompt_tokens\u0022:100}"}""";

    private static readonly Guid SpooledBeforeMigration0008Id = Guid.Parse("6f1d2c3b-4a5e-4f60-8a71-92b3c4d5e6f7");

    public void Dispose()
    {
        if (Directory.Exists(_spoolDirectory))
        {
            Directory.Delete(_spoolDirectory, recursive: true);
        }
    }

    private LedgerWriter NewWriter(IDbConnectionFactory connections, LedgerOptions options)
    {
        options.SpoolDirectory = _spoolDirectory;
        return new LedgerWriter(connections, options, TimeProvider.System, NullLogger<LedgerWriter>.Instance);
    }

    private static async Task<TestDatabase> MigratedAsync(StorageEngine engine)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(database.Connections).ApplyAsync();
        return database;
    }

    private static async Task<IReadOnlyList<UsageRecord>> ListAsync(IDbConnectionFactory connections)
    {
        await using var session = await new OdockStore(connections).OpenAsync();
        return await session.Usage.ListAsync(new UsageQuery(LedgerRecords.Organisation, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue) { Limit = 100_000 });
    }

    private static string SpoolLine(string json) =>
        $"{Crc32.Compute(System.Text.Encoding.UTF8.GetBytes(json)):x8} {json}\n";

    private static async Task<int> AppendAsync(LedgerWriter writer, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            await writer.AppendAsync(LedgerRecords.Numbered(i));
        }

        return first + count;
    }

    /// <summary>Waits for the writer to finish what it was given; a writer that never does fails the test rather than hanging it.</summary>
    private static async Task IdleAsync(LedgerWriter writer)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await writer.WaitUntilIdleAsync(patience.Token);
    }

    private static async Task WaitForAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {what}.");
            }

            await Task.Delay(10);
        }
    }

    /// <summary>
    /// Forty records, every fourth a plain one and the others made by <paramref name="special"/>, written by a writer
    /// through its bulk path; and the rows read back, in request order.
    /// </summary>
    private async Task<(UsageRecord[] Records, UsageRecord[] Stored)> ThroughTheBulkPathAsync(StorageEngine engine, Func<int, UsageRecord> special)
    {
        await using var database = await MigratedAsync(engine);
        await using var writer = NewWriter(database.Connections, new LedgerOptions());
        await writer.StartAsync(CancellationToken.None);
        var records = Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? LedgerRecords.Numbered(i) : special(i)).ToArray();
        foreach (var record in records)
        {
            await writer.AppendAsync(record);
        }

        await writer.DrainAsync(CancellationToken.None);
        return (records, (await ListAsync(database.Connections)).OrderBy(r => r.RequestId, StringComparer.Ordinal).ToArray());
    }
}
