using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenAI;
using OpenAI.Chat;
using Odock.Cluster;
using Odock.Domain.Usage;
using Odock.Grains.Governance;
using Odock.Storage.Connections;
using Odock.Storage.Migrations;
using Odock.Storage.Repositories;
using Odock.Storage.Secrets;
using Odock.Storage.Store;
using Odock.Testing;
using Odock.Testing.Governance;

namespace Odock.Gateway.Tests;

/// <summary>
/// The gateway as the all-in-one process runs it (local grain runtime on a fresh SQLite file, governance, ledger
/// writer) on a loopback port, with an organisation seeded, and official OpenAI SDK clients pointed at it.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly SqliteTestDatabase _database;
    private readonly WebApplication _app;

    private GatewayHost(SqliteTestDatabase database, WebApplication app, GovernanceSeed seed, AesGcmSecretProtector protector)
    {
        _database = database;
        _app = app;
        Seed = seed;
        Protector = protector;
    }

    public GovernanceSeed Seed { get; }

    public AesGcmSecretProtector Protector { get; }

    public Uri Address => new(_app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    public IGrainFactory Grains => _app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => _app.Services;

    /// <param name="services">Changes to the gateway's services, made after the gateway's own registrations.</param>
    public static async Task<GatewayHost> StartAsync(GatewayOptions? options = null, Action<IServiceCollection>? services = null)
    {
        var database = new SqliteTestDatabase();
        var connections = database.CreateConnectionFactory();
        await new MigrationRunner(connections).ApplyAsync();
        var protector = new AesGcmSecretProtector(new byte[AesGcmSecretProtector.KeySize]);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton<IDbConnectionFactory>(connections);
        builder.Services.AddSingleton<IOdockStore>(new OdockStore(connections));
        builder.Services.AddSingleton<ISecretProtector>(protector);
        builder.Services.AddOdockGovernance();
        builder.Services.AddOdockLocalCluster(new ClusterOptions());
        builder.Services.AddOdockGateway(options ?? new GatewayOptions { CatalogRevalidation = TimeSpan.FromMilliseconds(50) });
        services?.Invoke(builder.Services);
        var app = builder.Build();
        app.MapOdockGateway();
        await app.StartAsync();
        var seed = await GovernanceSeed.CreateAsync(app.Services.GetRequiredService<IOdockStore>());
        return new GatewayHost(database, app, seed, protector);
    }

    /// <summary>The official SDK, with its own retries off so each test sees the gateway's first answer.</summary>
    public ChatClient Chat(string model, string secret) => new(model, new ApiKeyCredential(secret), new OpenAIClientOptions
    {
        Endpoint = new Uri(Address, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    /// <summary>The official Anthropic SDK pointed at the gateway, retries off.</summary>
    public Anthropic.AnthropicClient Anthropic(string secret) => new()
    {
        ApiKey = secret,
        BaseUrl = Address.ToString().TrimEnd('/'),
        MaxRetries = 0,
    };

    public OpenAIClient OpenAi(string secret) => new(new ApiKeyCredential(secret), new OpenAIClientOptions
    {
        Endpoint = new Uri(Address, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    public async Task<Odock.Domain.ApiKeys.ApiKey> KeyAsync(string secret)
    {
        await using var session = await Seed.Store.OpenAsync();
        return (await session.ApiKeys.FindByHashAsync(Odock.Domain.Common.SecretToken.Hash(secret)))!;
    }

    /// <summary>The ledger rows of the organisation once the writer has flushed them (it writes in the background).</summary>
    public async Task<IReadOnlyList<UsageRecord>> LedgerAsync(int expected)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            await using var session = await Seed.Store.OpenAsync();
            var rows = await session.Usage.ListAsync(new UsageQuery(Seed.Organisation.Id, DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue));
            if (rows.Count >= expected || DateTime.UtcNow > deadline)
            {
                return rows;
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A graceful stop, as on SIGTERM; disposing afterwards is still needed.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _database.Dispose();
    }
}
