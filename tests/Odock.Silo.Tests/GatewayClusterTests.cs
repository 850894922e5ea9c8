using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Npgsql;
using Odock.Silo.Tests.Infrastructure;
using Odock.Testing;

namespace Odock.Silo.Tests;

/// <summary>
/// The product as operators deploy it: two silo processes and a separate gateway process on one PostgreSQL, with the
/// offline example configuration. A request through the gateway is admitted and charged by grains living in the silos
/// and lands in the ledger with its tokens and cost.
/// </summary>
public sealed class GatewayClusterTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odock-e2e-" + Guid.NewGuid().ToString("N"));

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
    public async Task A_request_through_a_separate_gateway_is_governed_by_two_silos_and_recorded_in_the_ledger()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var supportKey = "odk-" + RandomBase62(43);
        var environment = new Dictionary<string, string?>
        {
            ["ODOCK_DEMO_ADMIN_PASSWORD"] = "change-me-please",
            ["ODOCK_DEMO_SUPPORT_KEY"] = supportKey,
            ["ODOCK_DEMO_DEV_KEY"] = "odk-" + RandomBase62(43),
            ["ODOCK__SECRETS__MASTERKEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        };
        string[] common = ["--listen", "http://127.0.0.1:0", "--postgres", database.ConnectionString, "--Odock:Cluster:PartitionCount=32"];
        await using var first = OdockProcess.Start(Path.Combine(_directory, "silo-a"), ["--roles", "silo", "--config", RepositoryRoot.File("examples", "odock.yaml"), .. common], environment);
        var siloAddress = await first.WaitForListeningAsync();
        await using var second = OdockProcess.Start(Path.Combine(_directory, "silo-b"), ["--roles", "silo", .. common], environment);
        await second.WaitForListeningAsync();
        await using var gateway = OdockProcess.Start(Path.Combine(_directory, "gateway"), ["--roles", "gateway", .. common], environment);
        var gatewayAddress = await gateway.WaitForListeningAsync();
        await WaitForTwoSilosAsync(siloAddress);

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gatewayAddress, "/v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"support-fast","messages":[{"role":"user","content":"Hello from the cluster"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", supportKey);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{response.StatusCode}: {body}\n{gateway.Stderr}");
        using var completion = JsonDocument.Parse(body);
        var usage = completion.RootElement.GetProperty("usage");
        var requestId = response.Headers.GetValues("x-request-id").Single();
        var (status, input, output, cost) = await WaitForLedgerRowAsync(database.ConnectionString, requestId);
        Assert.Equal(200, status);
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt64(), input);
        Assert.Equal(usage.GetProperty("completion_tokens").GetInt64(), output);
        Assert.True(cost > 0m, "the example's models are priced, so the call costs something");
    }

    [Fact]
    public async Task A_gateway_only_process_is_ready_once_a_silo_serves_partitions_and_not_before()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        var environment = new Dictionary<string, string?> { ["ODOCK__SECRETS__MASTERKEY"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        string[] common = ["--listen", "http://127.0.0.1:0", "--postgres", database.ConnectionString, "--Odock:Cluster:PartitionCount=8"];
        await using var gateway = OdockProcess.Start(Path.Combine(_directory, "gateway"), ["--roles", "gateway", .. common], environment);
        var gatewayAddress = await gateway.WaitForListeningAsync();

        using var alone = await Http.GetAsync(new Uri(gatewayAddress, "/readyz"));
        var aloneBody = await alone.Content.ReadAsStringAsync();
        await using var silo = OdockProcess.Start(Path.Combine(_directory, "silo"), ["--roles", "silo", .. common], environment);
        await silo.WaitForListeningAsync();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode status;
        while ((status = (await Http.GetAsync(new Uri(gatewayAddress, "/readyz"))).StatusCode) != HttpStatusCode.OK && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, alone.StatusCode);
        Assert.Contains("no live silo serves any partition yet", aloneBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task WaitForTwoSilosAsync(Uri siloAddress)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var status = JsonDocument.Parse(await Http.GetStringAsync(new Uri(siloAddress, "/cluster")));
            var members = status.RootElement.GetProperty("members").EnumerateArray().Where(m => m.GetProperty("alive").GetBoolean()).ToArray();
            if (members.Length == 2 && members.All(m => m.GetProperty("partition_count").GetInt32() > 0) && members.Sum(m => m.GetProperty("partition_count").GetInt32()) == 32)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the two silos did not share the partitions: {status.RootElement}");
            await Task.Delay(200);
        }
    }

    private static async Task<(int Status, long Input, long Output, decimal Cost)> WaitForLedgerRowAsync(string connectionString, string requestId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        while (true)
        {
            await using var command = new NpgsqlCommand("SELECT http_status, input_tokens, output_tokens, cost FROM usage_records WHERE request_id = @id", connection);
            command.Parameters.AddWithValue("id", requestId);
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                return (reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetDecimal(3));
            }

            Assert.True(DateTime.UtcNow < deadline, $"no ledger row for {requestId}");
            await reader.DisposeAsync();
            await Task.Delay(100);
        }
    }

    private static string RandomBase62(int length)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        return string.Concat(Enumerable.Range(0, length).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]));
    }
}
