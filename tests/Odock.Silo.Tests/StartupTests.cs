using System.Net;
using System.Text.Json;
using Odock.Silo.Hosting;
using Odock.Silo.Tests.Infrastructure;
using Odock.Testing;

namespace Odock.Silo.Tests;

/// <summary>The executable as an operator meets it: zero-setup start, health, bad settings, shutdown.</summary>
public sealed class StartupTests : IDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "odock-silo-" + Guid.NewGuid().ToString("N"));

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
    public async Task Starts_with_no_setup_on_sqlite_and_reports_alive_and_ready()
    {
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0"]);
        var address = await odock.WaitForListeningAsync();

        var alive = await Http.GetAsync(new Uri(address, "/healthz"));
        var ready = await Http.GetAsync(new Uri(address, "/readyz"));

        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("healthy", body.RootElement.GetProperty("checks").GetProperty("storage").GetProperty("status").GetString());
        Assert.True(File.Exists(Path.Combine(_directory, "data", "odock.db")), "the embedded database is created under ./data");
    }

    [Fact]
    public async Task Starts_on_postgres_when_a_connection_string_is_given()
    {
        await using var database = await PostgresTestDatabase.CreateAsync();
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0", "--postgres", database.ConnectionString]);
        var address = await odock.WaitForListeningAsync();

        var ready = await Http.GetAsync(new Uri(address, "/readyz"));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.False(File.Exists(Path.Combine(_directory, "data", "odock.db")), "no SQLite file when PostgreSQL is configured");
    }

    [Fact]
    public async Task Readyz_turns_unavailable_when_the_database_file_loses_its_schema_but_healthz_stays_alive()
    {
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0"]);
        var address = await odock.WaitForListeningAsync();
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(address, "/readyz"))).StatusCode);

        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_directory, "data", "odock.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM schema_migrations";
            await command.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await Http.GetAsync(new Uri(address, "/readyz"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(address, "/healthz"))).StatusCode);
    }

    [Theory]
    [InlineData(new[] { "--roles", "silo,frontend" }, "Odock:Roles", "'frontend' is not a role")]
    [InlineData(new[] { "--listen", "127.0.0.1:8080" }, "Odock:Listen", "is not an http:// or https:// address")]
    [InlineData(new[] { "--config", "missing.yaml" }, "Odock:ConfigFile", "does not exist")]
    [InlineData(new[] { "--Odock:ShutdownTimeout=soon" }, "Odock:ShutdownTimeout", "")]
    [InlineData(new[] { "--postgres", "Host=127.0.0.1;Bogus Key=1" }, "Odock:Storage:PostgresConnectionString", "not a valid PostgreSQL connection string")]
    [InlineData(new[] { "--Odock:Ledger:BatchSize=0" }, "Odock:Ledger:BatchSize", "must be at least 1")]
    [InlineData(new[] { "--Odock:MaxWorkerThreads=0" }, "Odock:MaxWorkerThreads", "must be between the cores this process may use")]
    public async Task A_bad_setting_stops_start_up_with_a_message_naming_it(string[] args, string setting, string reason)
    {
        await using var odock = OdockProcess.Start(_directory, [.. args, "--listen", args.Contains("--listen") ? args[Array.IndexOf(args, "--listen") + 1] : "http://127.0.0.1:0"]);

        var exitCode = await odock.WaitForExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(setting, odock.Stderr, StringComparison.Ordinal);
        Assert.Contains(reason, odock.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", odock.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_postgres_stops_start_up_naming_the_setting_and_the_address()
    {
        var port = FreeTcpPort();
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0", "--postgres", $"Host=127.0.0.1;Port={port};Database=odock;Username=odock;Timeout=3"]);

        var exitCode = await odock.WaitForExitAsync();

        Assert.Equal(3, exitCode);
        Assert.Contains("Odock:Storage:PostgresConnectionString", odock.Stderr, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", odock.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigterm_shuts_down_gracefully_with_exit_code_zero()
    {
        await using var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0"]);
        await odock.WaitForListeningAsync();

        odock.SendSigterm();
        var exitCode = await odock.WaitForExitAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("Application is shutting down", odock.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Environment_variables_configure_the_process()
    {
        var environment = new Dictionary<string, string?> { ["ODOCK__STORAGE__SQLITEPATH"] = "state/custom.db", ["ODOCK__LISTEN"] = "http://127.0.0.1:0" };
        await using var odock = OdockProcess.Start(_directory, [], environment);
        var address = await odock.WaitForListeningAsync();

        Assert.Equal(HttpStatusCode.OK, (await Http.GetAsync(new Uri(address, "/readyz"))).StatusCode);
        Assert.True(File.Exists(Path.Combine(_directory, "state", "custom.db")));
    }

    [Fact]
    public async Task On_one_cpu_the_process_says_how_to_let_the_runtime_optimise_hot_code_until_told()
    {
        var oneCpu = new Dictionary<string, string?> { ["DOTNET_PROCESSOR_COUNT"] = "1", [SingleCpuTiering.Variable] = null, ["COMPlus_TC_DelaySingleProcMultiplier"] = null };
        await using (var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0"], oneCpu))
        {
            await odock.WaitForListeningAsync();
            await WaitForLogAsync(odock, "Odock starting");
            Assert.Contains($"Set {SingleCpuTiering.Variable}=1", odock.Stdout, StringComparison.Ordinal);
        }

        oneCpu[SingleCpuTiering.Variable] = "1";
        await using (var odock = OdockProcess.Start(_directory, ["--listen", "http://127.0.0.1:0"], oneCpu))
        {
            await odock.WaitForListeningAsync();
            await WaitForLogAsync(odock, "Odock starting");
            Assert.DoesNotContain(SingleCpuTiering.Variable, odock.Stdout, StringComparison.Ordinal);
        }
    }

    private static async Task WaitForLogAsync(OdockProcess odock, string text)
    {
        for (var i = 0; i < 200 && !odock.Stdout.Contains(text, StringComparison.Ordinal); i++)
        {
            await Task.Delay(50);
        }

        Assert.Contains(text, odock.Stdout, StringComparison.Ordinal);
    }

    private static int FreeTcpPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
