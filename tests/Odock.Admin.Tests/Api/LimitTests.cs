using System.Net;
using Odock.Grains.Governance;
using static Odock.Admin.Tests.Api.AccessControlTests;

namespace Odock.Admin.Tests.Api;

/// <summary>Budgets and quotas through the API, observed by the gateway's reservations on the same grains.</summary>
public sealed class LimitTests
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_team_budget_created_and_raised_through_the_api_governs_the_next_reservation()
    {
        await using var host = await AdminHost.StartAsync();
        var manager = host.As(host.World.Manager);
        var key = await AssertStatusAsync(HttpStatusCode.Created, manager.PostAsync("api-keys", AdminHost.Body(new { name = "bot", scope = "team", team_id = host.World.Support.Id })));
        var secret = key["secret"]!.GetValue<string>();
        Assert.True((await host.Gateway.AdmitAsync(secret, AdminHost.ClientAddress, 10)).Admitted);

        var budget = await AssertStatusAsync(HttpStatusCode.Created, manager.PostAsync("budgets", AdminHost.Body(new
        {
            name = "support-monthly", scope = "team", target_id = host.World.Support.Id, amount = 1.00m, currency = "EUR", period = "monthly", time_zone = "Europe/Paris",
        })));
        var grant = (await host.Gateway.AdmitAsync(secret, AdminHost.ClientAddress, 10)).Grant!;

        Assert.Null(await host.Gateway.ReserveAsync(grant, "r1", 0.80m, 10, Lifetime));
        Assert.Equal(RefusalReason.BudgetExceeded, (await host.Gateway.ReserveAsync(grant, "r2", 0.30m, 10, Lifetime))!.Reason);

        await AssertStatusAsync(HttpStatusCode.OK, manager.PatchAsync($"budgets/{budget["id"]}", AdminHost.Body(new { amount = 2.00m })));

        Assert.Null(await host.Gateway.ReserveAsync(grant, "r3", 0.30m, 10, Lifetime));
    }

    [Fact]
    public async Task A_budgets_and_a_quotas_status_show_what_was_settled_what_is_held_and_what_is_left()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var key = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "watched" })));
        var keyId = key["key"]!["id"]!.GetValue<string>();
        var secret = key["secret"]!.GetValue<string>();
        var budget = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("budgets", AdminHost.Body(new
        {
            name = "watched-daily", scope = "api_key", target_id = keyId, amount = 2.00m, currency = "USD", period = "daily",
        })));
        var quota = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("quotas", AdminHost.Body(new { name = "watched-requests", scope = "api_key", target_id = keyId, unit = "requests", limit = 10, period = "daily" })));
        var grant = (await host.Gateway.AdmitAsync(secret, AdminHost.ClientAddress, 10)).Grant!;
        Assert.Null(await host.Gateway.ReserveAsync(grant, "s1", 0.50m, 10, Lifetime));
        await host.Gateway.SettleAsync(grant, "s1", 0.25m, served: true, actualTokens: 10);
        Assert.Null(await host.Gateway.ReserveAsync(grant, "s2", 0.60m, 10, Lifetime));

        var spending = await AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync($"budgets/{budget["id"]}/status"));
        var counting = await AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync($"quotas/{quota["id"]}/status"));

        Assert.Equal(2.00m, spending["limit"]!.GetValue<decimal>());
        Assert.Equal(0.25m, spending["settled"]!.GetValue<decimal>());
        Assert.Equal(0.60m, spending["reserved"]!.GetValue<decimal>());
        Assert.Equal(1, spending["open_reservations"]!.GetValue<int>());
        Assert.Equal(1.15m, spending["remaining"]!.GetValue<decimal>());
        Assert.Equal(0m, spending["overspend"]!.GetValue<decimal>());
        Assert.True(spending["enforced"]!.GetValue<bool>());
        Assert.Equal(TimeSpan.FromDays(1), spending["window_end"]!.GetValue<DateTimeOffset>() - spending["window_start"]!.GetValue<DateTimeOffset>());
        Assert.Equal(1m, counting["settled"]!.GetValue<decimal>());
        Assert.Equal(1m, counting["reserved"]!.GetValue<decimal>());
        Assert.Equal(8m, counting["remaining"]!.GetValue<decimal>());
        await AssertStatusAsync(HttpStatusCode.NotFound, admin.GetAsync($"budgets/{Guid.NewGuid()}/status"));
        await AssertStatusAsync(HttpStatusCode.NotFound, host.As(host.World.GlobexAdmin).GetAsync($"budgets/{budget["id"]}/status"));
    }

    [Fact]
    public async Task A_key_request_quota_created_through_the_api_refuses_the_request_past_its_limit()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var key = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "metered" })));
        var keyId = key["key"]!["id"]!.GetValue<string>();
        var secret = key["secret"]!.GetValue<string>();
        Assert.True((await host.Gateway.AdmitAsync(secret, AdminHost.ClientAddress, 10)).Admitted);

        await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("quotas", AdminHost.Body(new { name = "two-requests", scope = "api_key", target_id = keyId, unit = "requests", limit = 2, period = "daily" })));
        var grant = (await host.Gateway.AdmitAsync(secret, AdminHost.ClientAddress, 10)).Grant!;

        Assert.Null(await host.Gateway.ReserveAsync(grant, "q1", 0m, 10, Lifetime));
        Assert.Null(await host.Gateway.ReserveAsync(grant, "q2", 0m, 10, Lifetime));
        Assert.Equal(RefusalReason.QuotaExceeded, (await host.Gateway.ReserveAsync(grant, "q3", 0m, 10, Lifetime))!.Reason);
    }

    [Fact]
    public async Task Limits_name_every_bad_field_and_refuse_roles_and_organisations_without_access()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);

        var invalid = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("budgets", AdminHost.Body(new
        {
            name = "bad", scope = "team", target_id = host.World.Ops.Id, amount = -1m, currency = "EURO", period = "monthly", time_zone = "Mars/Olympus",
        })));
        var fields = invalid["errors"]!.AsObject().Select(e => e.Key).ToArray();
        Assert.Contains("target_id", fields);
        Assert.Contains("amount", fields);
        Assert.Contains("currency", fields);
        Assert.Contains("time_zone", fields);
        var quota = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("quotas", AdminHost.Body(new { name = "q", period = "weekly" })));
        Assert.NotNull(quota["errors"]!["limit"]);
        Assert.NotNull(quota["errors"]!["unit"]);

        var budget = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("budgets", AdminHost.Body(new { name = "org", amount = 100m, currency = "USD", period = "lifetime" })));
        await AssertStatusAsync(HttpStatusCode.Conflict, admin.PostAsync("budgets", AdminHost.Body(new { name = "org", amount = 1m, currency = "USD", period = "lifetime" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, host.As(host.World.Manager).PatchAsync($"budgets/{budget["id"]}", AdminHost.Body(new { amount = 1m })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, host.As(host.World.Dana).PostAsync("budgets", AdminHost.Body(new { name = "mine", scope = "user", target_id = host.World.Dana.Id, amount = 1m, currency = "USD", period = "daily" })));
        await AssertStatusAsync(HttpStatusCode.NotFound, host.As(host.World.GlobexAdmin).GetAsync($"budgets/{budget["id"]}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, host.As(host.World.GlobexAdmin).DeleteAsync($"budgets/{budget["id"]}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, host.As(host.World.GlobexAdmin).GetAsync($"quotas?organisation_id={host.World.Acme.Id}"));
        Assert.Equal(["org"], await ApiKeyLifecycleTests.AllPagesAsync(admin, "budgets?limit=1"));
        await AssertStatusAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"budgets/{budget["id"]}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, admin.GetAsync($"budgets/{budget["id"]}"));
    }
}
