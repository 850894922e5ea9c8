using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Odock.Silo.Tests.Infrastructure;
using Odock.Testing;

namespace Odock.Silo.Tests;

/// <summary>
/// Issue 6's "SIGTERM under load: nothing lost": the real executable is stopped by SIGTERM while 64 clients keep it
/// busy with streamed and non-streamed chat calls. Every call that got a complete answer before the process went away
/// must be in the ledger exactly once after the next start (which replays anything the shutdown spooled). The load is
/// heavy enough that records are still waiting in the writer's queue when the host stops: on SQLite, a writer that
/// skips its drain loses hundreds of them here.
/// </summary>
public sealed class ShutdownUnderLoadTests : IDisposable
{
    private const int Workers = 64;
    private const int AnswersBeforeSigterm = 2000;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odock-sigterm-" + Guid.NewGuid().ToString("N"));
    private readonly string _apiKey = "odk-" + RandomBase62(43);
    private readonly Dictionary<string, string?> _environment = new()
    {
        ["ODOCK__SECRETS__MASTERKEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        ["ODOCK_ADMIN_PASSWORD"] = null,
    };

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }

    [Fact]
    public async Task Sigterm_under_load_on_sqlite_loses_no_answered_request_and_records_none_twice()
    {
        string[] args = ["--listen", "http://127.0.0.1:0", "--config", WriteConfiguration()];

        var answered = await AnswerUnderLoadThenSigtermAsync(args);
        await RestartAndStopAsync(args);

        var counts = await ReadSqliteLedgerCountsAsync(Path.Combine(_directory, "data", "odock.db"));
        AssertEachRecordedOnce(answered, counts);
    }

    [Fact]
    public async Task Sigterm_under_load_on_postgres_loses_no_answered_request_and_records_none_twice()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        string[] args = ["--listen", "http://127.0.0.1:0", "--postgres", database.ConnectionString, "--config", WriteConfiguration()];

        var answered = await AnswerUnderLoadThenSigtermAsync(args);
        await RestartAndStopAsync(args);

        var counts = await ReadPostgresLedgerCountsAsync(database.ConnectionString);
        AssertEachRecordedOnce(answered, counts);
    }

    /// <summary>Starts odock, drives it with <see cref="Workers"/> clients, sends SIGTERM mid-load and returns what was answered.</summary>
    private async Task<IReadOnlyCollection<Answer>> AnswerUnderLoadThenSigtermAsync(string[] args)
    {
        var process = OdockProcess.Start(_directory, args, _environment);
        await using (process)
        {
            var address = await process.WaitForListeningAsync();
            var answered = new ConcurrentQueue<Answer>();
            using var enough = new SemaphoreSlim(0);
            using var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
            var workers = Enumerable.Range(0, Workers)
                .Select(worker => Task.Run(() => RunWorkerAsync(http, streamed: worker % 2 == 1, answered, enough)))
                .ToArray();

            await enough.WaitAsync(TimeSpan.FromSeconds(120));
            process.SendSigterm();
            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
            await Task.WhenAll(workers);

            Assert.True(exitCode == 0, $"odock exited with {exitCode}.\nstdout:\n{process.Stdout}\nstderr:\n{process.Stderr}");
            Assert.True(answered.Count >= AnswersBeforeSigterm, $"only {answered.Count} calls were answered");
            var failures = answered.Where(a => a.Status != 200).ToArray();
            Assert.True(failures.Length == 0, $"calls answered with an error: {string.Join(", ", failures.Select(f => $"{f.RequestId}={f.Status}"))}");
            return answered;
        }
    }

    /// <summary>Starts odock again on the same data so it replays any spool, waits until it is idle, and stops it.</summary>
    private async Task RestartAndStopAsync(string[] args)
    {
        await using var process = OdockProcess.Start(_directory, args, _environment);
        await process.WaitForListeningAsync();
        process.SendSigterm();
        var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(120));
        Assert.True(exitCode == 0, $"the restarted odock exited with {exitCode}.\nstderr:\n{process.Stderr}");
        var spool = Path.Combine(_directory, "data", "ledger", "usage-ledger.spool");
        Assert.True(!File.Exists(spool) || new FileInfo(spool).Length == 0, "the restart replayed and emptied the spool");
    }

    /// <summary>
    /// Sends chat calls until the server stops answering. A call counts as answered only when its whole response
    /// arrived: the body for a plain call, the closing <c>[DONE]</c> event for a stream.
    /// </summary>
    private static async Task RunWorkerAsync(HttpClient http, bool streamed, ConcurrentQueue<Answer> answered, SemaphoreSlim enough)
    {
        while (true)
        {
            Answer? answer;
            try
            {
                answer = await SendChatAsync(http, streamed);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException)
            {
                return;
            }

            if (answer is null)
            {
                return;
            }

            answered.Enqueue(answer);
            if (answered.Count == AnswersBeforeSigterm)
            {
                enough.Release();
            }
        }
    }

    private static async Task<Answer?> SendChatAsync(HttpClient http, bool streamed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(
                $$"""{"model":"load","stream":{{(streamed ? "true" : "false")}},"messages":[{"role":"user","content":"Hello while the gateway shuts down"}]}""",
                Encoding.UTF8,
                "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (!response.Headers.TryGetValues("x-request-id", out var ids))
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync();
        var complete = !streamed || (int)response.StatusCode != 200 || body.Contains("data: [DONE]", StringComparison.Ordinal);
        return complete ? new Answer(ids.Single(), (int)response.StatusCode) : null;
    }

    private static void AssertEachRecordedOnce(IReadOnlyCollection<Answer> answered, IReadOnlyDictionary<string, long> counts)
    {
        var missing = answered.Where(a => !counts.ContainsKey(a.RequestId)).Select(a => a.RequestId).ToArray();
        var doubled = answered.Where(a => counts.GetValueOrDefault(a.RequestId) > 1).Select(a => a.RequestId).ToArray();
        Assert.True(missing.Length == 0, $"{missing.Length} of {answered.Count} answered calls are not in the ledger: {string.Join(", ", missing.Take(20))}");
        Assert.True(doubled.Length == 0, $"{doubled.Length} answered calls are in the ledger more than once: {string.Join(", ", doubled.Take(20))}");
    }

    private static async Task<IReadOnlyDictionary<string, long>> ReadSqliteLedgerCountsAsync(string databasePath)
    {
        await using var connection = new SqliteConnection($"Data Source={databasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id, COUNT(*) FROM usage_records GROUP BY request_id";
        return await ReadCountsAsync(await command.ExecuteReaderAsync());
    }

    private static async Task<IReadOnlyDictionary<string, long>> ReadPostgresLedgerCountsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT request_id, COUNT(*) FROM usage_records GROUP BY request_id", connection);
        return await ReadCountsAsync(await command.ExecuteReaderAsync());
    }

    private static async Task<IReadOnlyDictionary<string, long>> ReadCountsAsync(System.Data.Common.DbDataReader reader)
    {
        await using (reader)
        {
            var counts = new Dictionary<string, long>(StringComparer.Ordinal);
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }

            return counts;
        }
    }

    /// <summary>One mock-served chat model with no limits to hit, and the key the workers use.</summary>
    private string WriteConfiguration()
    {
        Directory.CreateDirectory(_directory);
        var file = Path.Combine(_directory, "load.yaml");
        File.WriteAllText(file, $"""
            version: 1
            organisations:
              - name: loadtest
                providers:
                  - name: offline
                    type: mock
                    settings:
                      latency_ms: "5"
                    keys:
                      - name: default
                        secret: mock-provider-key-not-secret
                models:
                  - name: load
                    slug: mock-load-1
                    provider: offline
                    provider_key: default
                    type: chat
                    pricing:
                      currency: USD
                      input_per_million: "0.15"
                      output_per_million: "0.60"
                api_keys:
                  - name: load-client
                    secret: {_apiKey}
                    scope: organisation
                    models: [load]
            """);
        return file;
    }

    private static string RandomBase62(int length)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]));
    }

    private sealed record Answer(string RequestId, int Status);
}
