using System.Net;
using static Odock.Admin.Tests.Api.AccessControlTests;

namespace Odock.Admin.Tests.Api;

public sealed class AuditLogTests
{
    [Fact]
    public async Task Every_change_is_audited_with_actor_address_and_before_and_after_and_never_a_secret()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var created = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "audited" })));
        var id = created["key"]!["id"]!.GetValue<string>();
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        var rotated = await AssertStatusAsync(HttpStatusCode.OK, admin.PostAsync($"api-keys/{id}/rotate", AdminHost.Body(new { grace_seconds = 60 })));
        host.Clock.Advance(TimeSpan.FromSeconds(1));
        await AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"api-keys/{id}", AdminHost.Body(new { name = "audited-2" })));
        await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("users", AdminHost.Body(new { email = "pw@acme.test", role = "user", organisation_id = host.World.Acme.Id, password = "a-long-enough-password" })));

        var page = await AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync($"audit?target_type=api_key&target_id={id}"));
        var entries = page["data"]!.AsArray();
        Assert.Equal(["api_key.updated", "api_key.rotated", "api_key.created"], entries.Select(e => e!["action"]!.GetValue<string>()));
        var update = entries[0]!;
        Assert.Equal("user:admin@acme.test", update["actor"]!.GetValue<string>());
        Assert.Equal("127.0.0.1", update["client_address"]!.GetValue<string>());
        Assert.Equal("audited", update["before"]!["name"]!.GetValue<string>());
        Assert.Equal("audited-2", update["after"]!["name"]!.GetValue<string>());

        var everything = (await AssertStatusAsync(HttpStatusCode.OK, host.As(host.World.Super).GetAsync("audit?limit=200"))).ToJsonString();
        Assert.DoesNotContain(created["secret"]!.GetValue<string>(), everything, StringComparison.Ordinal);
        Assert.DoesNotContain(rotated["secret"]!.GetValue<string>(), everything, StringComparison.Ordinal);
        Assert.DoesNotContain("a-long-enough-password", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("pbkdf2", everything, StringComparison.Ordinal);
        Assert.Contains("user.created", everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_audit_log_pages_newest_first_and_an_organisation_admin_sees_only_their_organisation()
    {
        await using var host = await AdminHost.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await CreateKeyAsync(host, new { name = $"k{i}" });
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        await AssertStatusAsync(HttpStatusCode.Created, host.As(host.World.GlobexAdmin).PostAsync("api-keys", AdminHost.Body(new { name = "globex-key" })));
        var acme = host.As(host.World.AcmeAdmin);

        var actions = new List<string>();
        string? cursor = null;
        do
        {
            var page = await AssertStatusAsync(HttpStatusCode.OK, acme.GetAsync("audit?action=api_key.created&limit=2" + (cursor is null ? "" : $"&cursor={cursor}")));
            actions.AddRange(page["data"]!.AsArray().Select(e => e!["after"]!["name"]!.GetValue<string>()));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal(["k4", "k3", "k2", "k1", "k0"], actions);
        await AssertStatusAsync(HttpStatusCode.Forbidden, acme.GetAsync($"audit?organisation_id={host.World.Globex.Id}"));
        await AssertStatusAsync(HttpStatusCode.BadRequest, acme.GetAsync("audit?from=yesterday"));
    }
}
