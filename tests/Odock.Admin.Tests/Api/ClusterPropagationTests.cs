using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Odock.Admin.Api;
using Odock.Admin.Api.Auth;
using Odock.Cluster;
using Odock.Grains.Governance;
using Odock.Storage.Connections;
using Odock.Storage.Secrets;
using Odock.Storage.Store;
using Odock.Testing.Cluster;
using static Odock.Admin.Tests.Api.AccessControlTests;

namespace Odock.Admin.Tests.Api;

/// <summary>
/// Two silos on real PostgreSQL, an admin process and two gateway processes that only call grains: a rotation or a
/// revocation made through the admin API is refused by the very next admission on either gateway.
/// </summary>
public sealed class ClusterPropagationTests
{
    private const string ClientAddress = "198.51.100.4";

    [Fact]
    public async Task Rotation_and_revocation_through_the_api_reach_both_gateways_on_their_next_admission()
    {
        await using var cluster = await TestCluster.StartAsync(2, services =>
        {
            services.AddSingleton<IOdockStore>(sp => new OdockStore(sp.GetRequiredService<IDbConnectionFactory>()));
            services.AddOdockGovernance();
        });
        var gateways = new[] { await cluster.CreateClientAsync(), await cluster.CreateClientAsync() }
            .Select(c => new GovernanceClient(c.Grains, TimeProvider.System)).ToArray();
        await using var admin = await StartAdminAsync(cluster);
        var world = await AdminWorld.SeedAsync(admin.Services.GetRequiredService<IOdockStore>());
        using var http = new HttpClient { BaseAddress = new Uri(BaseAddress(admin), "/api/admin/v1/") };
        http.DefaultRequestHeaders.Authorization = world.BearerOf(world.AcmeAdmin);

        var created = await AssertStatusAsync(HttpStatusCode.Created, http.PostAsync("api-keys", AdminHost.Body(new { name = "replicated" })));
        var first = created["secret"]!.GetValue<string>();
        var id = created["key"]!["id"]!.GetValue<string>();
        foreach (var gateway in gateways)
        {
            Assert.True((await gateway.AdmitAsync(first, ClientAddress, 10)).Admitted);
        }

        var second = (await AssertStatusAsync(HttpStatusCode.OK, http.PostAsync($"api-keys/{id}/rotate", null)))["secret"]!.GetValue<string>();
        foreach (var gateway in gateways)
        {
            Assert.Equal(RefusalReason.UnknownKey, (await gateway.AdmitAsync(first, ClientAddress, 10)).Refusal!.Reason);
            Assert.True((await gateway.AdmitAsync(second, ClientAddress, 10)).Admitted);
        }

        await AssertStatusAsync(HttpStatusCode.OK, http.PostAsync($"api-keys/{id}/revoke", null));
        foreach (var gateway in gateways)
        {
            Assert.Equal(RefusalReason.Revoked, (await gateway.AdmitAsync(second, ClientAddress, 10)).Refusal!.Reason);
        }
    }

    /// <summary>An admin-only process: a cluster client (no silo role) serving the admin API.</summary>
    private static async Task<WebApplication> StartAdminAsync(TestCluster cluster)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var connections = new PostgresConnectionFactory(cluster.ConnectionString);
        builder.Services.AddSingleton<IDbConnectionFactory>(connections);
        builder.Services.AddSingleton<IOdockStore>(new OdockStore(connections));
        builder.Services.AddOdockGovernance();
        var options = cluster.Options;
        builder.Services.AddOdockClusterClient(new ClusterOptions
        {
            PartitionCount = options.PartitionCount, LeaseLength = options.LeaseLength, RenewInterval = options.RenewInterval,
            SafetyMargin = options.SafetyMargin, SuspicionTimeout = options.SuspicionTimeout, CallTimeout = options.CallTimeout,
        });
        builder.Services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(new byte[AesGcmSecretProtector.KeySize]));
        builder.Services.AddOdockAdminApi(new AdminApiOptions());
        var app = builder.Build();
        app.MapOdockAdminApi();
        await app.StartAsync();
        return app;
    }

    private static Uri BaseAddress(WebApplication app) => new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
