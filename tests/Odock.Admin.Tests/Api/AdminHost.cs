using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Odock.Admin.Api;
using Odock.Admin.Api.Auth;
using Odock.Cluster;
using Odock.Domain.Users;
using Odock.Grains.Governance;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Secrets;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Admin.Tests.Api;

/// <summary>
/// The admin API as the all-in-one process serves it: local grain runtime, governance grains, real Kestrel on a
/// loopback port, a hand-moved clock; storage on SQLite or PostgreSQL. <see cref="Gateway"/> is the key admission the
/// gateway runs, over the same grains, so tests see what a client request would see.
/// </summary>
internal sealed class AdminHost : IAsyncDisposable
{
    public const string ClientAddress = "203.0.113.9";

    private readonly TestDatabase _database;
    private readonly WebApplication _app;
    private readonly List<HttpClient> _clients = [];

    private AdminHost(TestDatabase database, WebApplication app, AdminWorld world, ManualClock clock)
    {
        _database = database;
        _app = app;
        World = world;
        Clock = clock;
    }

    public AdminWorld World { get; }

    public ManualClock Clock { get; }

    public IOdockStore Store => _app.Services.GetRequiredService<IOdockStore>();

    public IDbConnectionFactory Connections => _database.Connections;

    public GovernanceClient Gateway => _app.Services.GetRequiredService<GovernanceClient>();

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public IServiceProvider Services => _app.Services;

    public static async Task<AdminHost> StartAsync(StorageEngine engine = StorageEngine.Sqlite)
    {
        var database = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(database.Connections).ApplyAsync();
        var clock = new ManualClock();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.Services.AddSingleton(database.Connections);
        builder.Services.AddSingleton<IOdockStore>(new OdockStore(database.Connections));
        builder.Services.AddOdockGovernance();
        builder.Services.AddOdockLocalCluster(new ClusterOptions());
        builder.Services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(new byte[AesGcmSecretProtector.KeySize]));
        builder.Services.AddOdockAdminApi(new AdminApiOptions());
        var app = builder.Build();
        // A failing test shows the server's exception instead of a bare 500.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                context.Response.StatusCode = 500;
                await context.Response.WriteAsync(ex.ToString());
            }
        });
        app.MapOdockAdminApi();
        await app.StartAsync();
        var world = await AdminWorld.SeedAsync(app.Services.GetRequiredService<IOdockStore>());
        return new AdminHost(database, app, world, clock);
    }

    /// <summary>A client with no credential (cookies kept, so a sign-in sticks).</summary>
    public HttpClient Anonymous()
    {
        var client = new HttpClient(new HttpClientHandler { UseCookies = true }) { BaseAddress = new Uri(Address, "/api/admin/v1/") };
        _clients.Add(client);
        return client;
    }

    /// <summary>A client authenticated with the user's personal API token.</summary>
    public HttpClient As(User user)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = World.BearerOf(user);
        return client;
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    public static StringContent Body(object value) => new(JsonSerializer.Serialize(value), System.Text.Encoding.UTF8, "application/json");

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        await _database.DisposeAsync();
    }
}
