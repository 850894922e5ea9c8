using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using Odock.Storage.Ledger;
using Odock.Storage.Migrations;

namespace Odock.Bench.Ledger;

/// <summary>
/// Ledger ingest through the real writer, into PostgreSQL (binary COPY) or a SQLite file (the all-in-one's prepared
/// insert): producers append gateway-shaped records (every column a chat call fills, a provider usage document
/// included, time-ordered ids as the gateway makes them) as fast as the writer takes them; the clock stops when the
/// last one is in the table.
/// </summary>
internal static class IngestBenchmark
{
    public static async Task RunAsync(string server, int records, int batchSize, int producers, TextWriter output)
    {
        await using var database = await BenchDatabase.CreateAsync(server, "odock_bench_ingest");
        await RunAsync(database.Connections, records, batchSize, producers, output);
    }

    public static async Task RunSqliteAsync(int records, int batchSize, int producers, TextWriter output)
    {
        var directory = Path.Combine(Path.GetTempPath(), "odock-bench-sqlite-" + Guid.NewGuid().ToString("N"));
        try
        {
            var connections = new SqliteConnectionFactory(Path.Combine(directory, "odock.db"));
            await new MigrationRunner(connections).ApplyAsync();
            await RunAsync(connections, records, batchSize, producers, output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunAsync(IDbConnectionFactory connections, int records, int batchSize, int producers, TextWriter output)
    {
        var spool = Path.Combine(Path.GetTempPath(), "odock-bench-spool-" + Guid.NewGuid().ToString("N"));
        var options = new LedgerOptions { BatchSize = batchSize, SpoolDirectory = spool };
        await using var writer = new LedgerWriter(connections, options, TimeProvider.System, NullLogger<LedgerWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var organisation = Guid.NewGuid();
        var keys = Enumerable.Range(0, 50).Select(_ => Guid.NewGuid()).ToArray();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();

        var perProducer = records / producers;
        await Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(async () =>
        {
            for (var i = 0; i < perProducer; i++)
            {
                await writer.AppendAsync(Record(organisation, keys, (p * perProducer) + i));
            }
        })));
        await writer.WaitUntilIdleAsync();
        clock.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await writer.DrainAsync(CancellationToken.None);
        Directory.Delete(spool, recursive: true);

        var total = perProducer * producers;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {total:N0} | {batchSize:N0} | {producers} | {clock.Elapsed.TotalSeconds:N2} | {total / clock.Elapsed.TotalSeconds:N0} | {cpu.TotalMicroseconds / total:N1} | {writer.Written:N0} | {writer.PeakQueueDepth:N0} | {writer.Spooled:N0} |"));
        if (writer.Written != total)
        {
            throw new InvalidOperationException($"Only {writer.Written} of {total} records reached the ledger.");
        }
    }

    public static string Header =>
        "| records | batch | producers | seconds | records/s | bench process CPU µs/record | written | peak queue | spooled |\n|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    private static UsageRecord Record(Guid organisation, Guid[] keys, int sequence) => new()
    {
        Id = Guid.CreateVersion7(),
        RequestId = "req_" + Guid.CreateVersion7().ToString("N"),
        OccurredAt = DateTimeOffset.UtcNow,
        Kind = UsageKind.Model,
        OrganisationId = organisation,
        TeamId = keys[sequence % 7],
        UserId = keys[sequence % 13],
        ApiKeyId = keys[sequence % keys.Length],
        Endpoint = "openai.chat_completions",
        RequestedModel = "support-fast",
        ModelId = keys[1],
        ModelName = "support-fast",
        ProviderId = keys[2],
        UpstreamSlug = "gpt-4.1-mini",
        HttpStatus = 200,
        ErrorClass = null,
        Streamed = sequence % 2 == 0,
        LatencyMs = 840,
        TimeToFirstTokenMs = 210,
        Tokens = new TokenUsage { InputTokens = 1200 + (sequence % 100), CachedInputTokens = 256, OutputTokens = 310, ReasoningTokens = 0 },
        Cost = 0.000_976_4m,
        Currency = "USD",
        ProviderUsageJson = """{"prompt_tokens":1200,"completion_tokens":310,"total_tokens":1510,"prompt_tokens_details":{"cached_tokens":256}}""",
    };
}
