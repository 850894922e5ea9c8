using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Odock.Domain.Budgets;
using Odock.Storage.Connections;
using Odock.Storage.Reporting;
using Odock.Storage.Store;

namespace Odock.Bench.Ledger;

/// <summary>
/// Usage queries over a generated ledger: ten organisations, ten 30-day months, rows in time order as a live ledger
/// fills, every index migration 0005 defines. Each query is one organisation's month; timings are the wall time of the
/// public query API, first (cold) run and then the median and worst of the warm runs.
/// </summary>
internal static class AggregateBenchmark
{
    private const int Organisations = 10;
    private const int Months = 10;
    private const int WarmRuns = 7;
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static async Task RunAsync(string server, long rows, TextWriter output)
    {
        await using var database = await BenchDatabase.CreateAsync(server, "odock_bench_query");
        var generation = Stopwatch.StartNew();
        await GenerateAsync(database, rows, output);
        var generated = generation.Elapsed;
        var size = await SizeAsync(database);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"generated {rows:N0} rows and their indexes, vacuumed and analysed in {generated.TotalSeconds:N0} s; {size}"));

        var services = new ServiceCollection().AddSingleton<IDbConnectionFactory>(database.Connections).AddOdockUsageQueries().BuildServiceProvider();
        var queries = services.GetRequiredService<IUsageQueries>();
        var store = new OdockStore(database.Connections);
        var organisation = Id(0, 3);
        var team = Id(1, (3 * 100) + 2);
        var from = Start.AddDays(30 * 5);
        var month = new UsageFilter(from, from.AddDays(30)) { OrganisationId = organisation };
        var monthRows = (await queries.AggregateAsync(new UsageAggregateQuery(month, UsageGranularity.Day))).Sum(a => a.Requests);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"one organisation, one month: {monthRows:N0} rows"));
        output.WriteLine();
        output.WriteLine("| query | rows out | cold ms | warm median ms | warm max ms |");
        output.WriteLine("|---|---:|---:|---:|---:|");
        await MeasureAsync(output, "aggregate by day", async () => (await queries.AggregateAsync(new UsageAggregateQuery(month, UsageGranularity.Day))).Count);
        await MeasureAsync(output, "aggregate by day and model", async () => (await queries.AggregateAsync(new UsageAggregateQuery(month, UsageGranularity.Day) { GroupBy = [UsageDimension.Model] })).Count);
        await MeasureAsync(output, "aggregate by hour and team", async () => (await queries.AggregateAsync(new UsageAggregateQuery(month, UsageGranularity.Hour) { GroupBy = [UsageDimension.Team] })).Count);
        await MeasureAsync(output, "aggregate by day, key and model", async () => (await queries.AggregateAsync(new UsageAggregateQuery(month, UsageGranularity.Day) { GroupBy = [UsageDimension.ApiKey, UsageDimension.Model] })).Count);
        await MeasureAsync(output, "aggregate by day, one team, failed only", async () => (await queries.AggregateAsync(new UsageAggregateQuery(month with { TeamId = team, Succeeded = false }, UsageGranularity.Day))).Count);
        await MeasureAsync(output, "budget recovery: organisation month total (TotalAsync)", async () =>
        {
            await using var session = await store.OpenAsync();
            return (int)(await session.Usage.TotalAsync(LimitScope.Organisation, organisation, month.From, month.To)).ServedRequests;
        });
        await MeasureAsync(output, "budget recovery: team month total (TotalAsync)", async () =>
        {
            await using var session = await store.OpenAsync();
            return (int)(await session.Usage.TotalAsync(LimitScope.Team, team, month.From, month.To)).ServedRequests;
        });
        await MeasureAsync(output, "list: first page of 100", async () => (await queries.ListAsync(month, 100)).Records.Count);
        await MeasureAsync(output, "list: 5 pages of 10,000 then one of 100 (keyset)", async () =>
        {
            var deep = await queries.ListAsync(month, 10_000);
            for (var i = 0; i < 4; i++)
            {
                deep = await queries.ListAsync(month, 10_000, deep.Next);
            }

            var page = await queries.ListAsync(month, 100, deep.Next);
            return page.Records.Count;
        });
        await MeasureAsync(output, "CSV export of the month (to a null stream)", async () => (int)await queries.ExportCsvAsync(month, Stream.Null));
        output.WriteLine();
        output.WriteLine("plan of 'aggregate by day and model':");
        output.WriteLine(await ExplainAsync(database, organisation, from));
    }

    private static async Task MeasureAsync(TextWriter output, string name, Func<Task<int>> query)
    {
        var cold = Stopwatch.StartNew();
        var count = await query();
        cold.Stop();
        var warm = new List<double>();
        for (var i = 0; i < WarmRuns; i++)
        {
            var clock = Stopwatch.StartNew();
            await query();
            warm.Add(clock.Elapsed.TotalMilliseconds);
        }

        warm.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {count:N0} | {cold.Elapsed.TotalMilliseconds:N1} | {warm[warm.Count / 2]:N1} | {warm[^1]:N1} |"));
    }

    private static async Task GenerateAsync(BenchDatabase database, long rows, TextWriter output)
    {
        var step = Math.Max(1, rows / 10);
        var spacing = TimeSpan.FromDays(30 * Months).TotalSeconds / rows;
        for (var from = 1L; from <= rows; from += step)
        {
            var to = Math.Min(rows, from + step - 1);
            await database.ExecuteAsync(GenerateSql(from, to, spacing));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {to:N0} rows"));
        }

        await database.ExecuteAsync("VACUUM (ANALYZE) usage_records");
    }

    /// <summary>
    /// Rows <paramref name="from"/>..<paramref name="to"/>: organisation g mod 10; per organisation 5 teams, 40 users,
    /// 25 keys; 8 models over 3 providers; 2% refused (429), 1% upstream failures (502); tokens and cost varying.
    /// </summary>
    private static string GenerateSql(long from, long to, double spacingSeconds) => string.Create(CultureInfo.InvariantCulture, $$"""
        INSERT INTO usage_records (id, request_id, occurred_at, kind, organisation_id, team_id, user_id, api_key_id, endpoint,
            requested_model, model_id, model_name, provider_id, upstream_slug, http_status, error_code, streamed, latency_ms,
            time_to_first_token_ms, error_class, client_disconnected, tokens_estimated, routing_attempts, input_tokens,
            cached_input_tokens, cache_write_tokens, output_tokens, reasoning_tokens, images, audio_seconds, cost, currency,
            provider_usage, recorded_at)
        SELECT gen_random_uuid(), 'req_' || g, at, 'model',
            ('00000000-0000-0000-0000-' || lpad(to_hex(g % {{Organisations}}), 12, '0'))::uuid,
            ('00000000-0000-0000-0001-' || lpad(to_hex((g % {{Organisations}}) * 100 + (g / {{Organisations}}) % 5), 12, '0'))::uuid,
            ('00000000-0000-0000-0002-' || lpad(to_hex((g % {{Organisations}}) * 100 + (g / {{Organisations}}) % 40), 12, '0'))::uuid,
            ('00000000-0000-0000-0003-' || lpad(to_hex((g % {{Organisations}}) * 100 + (g / {{Organisations}}) % 25), 12, '0'))::uuid,
            CASE WHEN g % 3 = 0 THEN 'anthropic.messages' ELSE 'openai.chat_completions' END,
            'model-' || (g / 7) % 8,
            ('00000000-0000-0000-0004-' || lpad(to_hex((g / 7) % 8), 12, '0'))::uuid,
            'model-' || (g / 7) % 8,
            ('00000000-0000-0000-0005-' || lpad(to_hex((g / 7) % 3), 12, '0'))::uuid,
            'upstream-' || (g / 7) % 8,
            status,
            CASE status WHEN 429 THEN 'rate_limit_exceeded' WHEN 502 THEN 'upstream_error' END,
            g % 2 = 0, 200 + g % 3000, 50 + g % 500,
            CASE status WHEN 429 THEN 'limit' WHEN 502 THEN 'upstream' END,
            false, false, 1,
            CASE WHEN status = 200 THEN 500 + g % 3000 ELSE 0 END,
            CASE WHEN status = 200 THEN g % 256 ELSE 0 END,
            0,
            CASE WHEN status = 200 THEN 50 + g % 800 ELSE 0 END,
            CASE WHEN status = 200 THEN g % 20 ELSE 0 END,
            0, 0,
            CASE WHEN status = 200 THEN round((500 + g % 3000) * 0.0000004 + (50 + g % 800) * 0.0000016, 10) ELSE 0 END,
            'USD',
            '{"prompt_tokens":' || (500 + g % 3000) || '}',
            at
        FROM (SELECT g, timestamptz '{{Start:yyyy-MM-dd}} 00:00:00+00' + g * interval '{{spacingSeconds:0.######}} seconds' AS at,
                     CASE WHEN g % 50 = 0 THEN 429 WHEN g % 97 = 0 THEN 502 ELSE 200 END AS status
              FROM generate_series({{from}}::bigint, {{to}}::bigint) g) s
        """);

    private static async Task<string> SizeAsync(BenchDatabase database)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT 'table ' || pg_size_pretty(pg_table_size('usage_records')) || ', indexes ' || pg_size_pretty(pg_indexes_size('usage_records'))", connection);
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> ExplainAsync(BenchDatabase database, Guid organisation, DateTimeOffset from)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) SELECT date_trunc('day', occurred_at, 'UTC') AS bucket, model_id, currency, COUNT(*), SUM(cost) "
            + "FROM usage_records WHERE occurred_at >= $1 AND occurred_at < $2 AND organisation_id = $3 GROUP BY bucket, model_id, currency",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = from });
        command.Parameters.Add(new NpgsqlParameter { Value = from.AddDays(30) });
        command.Parameters.Add(new NpgsqlParameter { Value = organisation });
        var plan = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            plan.Add("    " + reader.GetString(0));
        }

        return string.Join(Environment.NewLine, plan);
    }

    private static Guid Id(int kind, int number) => Guid.Parse(string.Create(CultureInfo.InvariantCulture, $"00000000-0000-0000-{kind:x4}-{number:x12}"));
}
