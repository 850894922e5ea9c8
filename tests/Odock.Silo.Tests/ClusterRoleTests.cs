using System.Net;
using System.Text.Json;
using Odock.Silo.Tests.Infrastructure;
using Odock.Testing;

namespace Odock.Silo.Tests;

/// <summary>The executable's grain runtime as an operator sees it through <c>GET /cluster</c>: local mode, and real silo processes on PostgreSQL.</summary>
public sealed class ClusterRoleTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odock-cluster-" + Guid.NewGuid().ToString("N"));

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
    public async Task All_in_one_on_sqlite_runs_the_grain_runtime_in_local_mode_owning_every_partition()
    {
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0"]);
        var address = await odock.WaitForListeningAsync();

        using var status = await ReadStatusAsync(address);

        Assert.Equal("local", status.RootElement.GetProperty("mode").GetString());
        var member = Assert.Single(status.RootElement.GetProperty("members").EnumerateArray());
        Assert.Equal(256, member.GetProperty("partition_count").GetInt32());
    }

    [Fact]
    public async Task Two_silo_processes_on_postgres_split_the_partitions_and_the_survivor_takes_all_after_a_graceful_stop()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        string[] args = ["--roles", "silo,gateway", "--listen", "http://127.0.0.1:0", "--postgres", database.ConnectionString, "--Odock:Cluster:PartitionCount=64"];
        await using var first = OdockProcess.Start(Path.Combine(_directory, "a"), args);
        var firstAddress = await first.WaitForListeningAsync();
        await using var second = OdockProcess.Start(Path.Combine(_directory, "b"), args);
        await second.WaitForListeningAsync();

        var split = await WaitForAsync(firstAddress, members => members.Count(m => m.Alive && m.Partitions > 0) == 2 && members.Sum(m => m.Partitions) == 64);
        Assert.All(split.Where(m => m.Alive), m => Assert.InRange(m.Partitions, 16, 48));
        Assert.All(split.Where(m => m.Alive), m => Assert.StartsWith("http://127.0.0.1:", m.Address, StringComparison.Ordinal));

        second.SendSigterm();
        Assert.Equal(0, await second.WaitForExitAsync());
        var after = await WaitForAsync(firstAddress, members => members.Count(m => m.Alive) == 1 && members.Single(m => m.Alive).Partitions == 64);
        Assert.Contains(after, m => m.Status == "dead");
    }

    [Theory]
    [InlineData(new[] { "--Odock:Cluster:RenewInterval=00:00:30" }, "Odock:Cluster:RenewInterval")]
    [InlineData(new[] { "--cluster-listen", "https://127.0.0.1:0" }, "Odock:Cluster:Listen")]
    [InlineData(new[] { "--roles", "gateway" }, "Odock:Roles")]
    public async Task A_bad_cluster_setting_stops_start_up_naming_it(string[] args, string setting)
    {
        await using var odock = OdockProcess.Start(_directory, [.. args, "--listen", "http://127.0.0.1:0"]);

        Assert.Equal(2, await odock.WaitForExitAsync());
        Assert.Contains(setting, odock.Stderr, StringComparison.Ordinal);
    }

    private static async Task<JsonDocument> ReadStatusAsync(Uri address)
    {
        var response = await Http.GetAsync(new Uri(address, "/cluster"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<IReadOnlyList<Member>> WaitForAsync(Uri address, Func<IReadOnlyList<Member>, bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(90);
        IReadOnlyList<Member> members = [];
        while (DateTime.UtcNow < deadline)
        {
            using var status = await ReadStatusAsync(address);
            members = status.RootElement.GetProperty("members").EnumerateArray()
                .Select(m => new Member(m.GetProperty("silo_id").GetString()!, m.GetProperty("address").GetString()!, m.GetProperty("status").GetString()!, m.GetProperty("alive").GetBoolean(), m.GetProperty("partition_count").GetInt32()))
                .ToArray();
            if (condition(members))
            {
                return members;
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"The cluster did not reach the expected shape; last seen: {string.Join("; ", members)}");
    }

    private sealed record Member(string SiloId, string Address, string Status, bool Alive, int Partitions);
}
