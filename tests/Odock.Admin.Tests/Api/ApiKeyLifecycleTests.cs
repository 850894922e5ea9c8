using System.Net;
using Odock.Grains.Governance;

namespace Odock.Admin.Tests.Api;

/// <summary>The key lifecycle through the API, observed where it matters: the gateway's key admission on the same grains.</summary>
public sealed class ApiKeyLifecycleTests
{
    [Fact]
    public async Task Create_returns_the_secret_once_and_reads_and_lists_never_show_it()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);

        var created = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "support-bot", scope = "team", team_id = host.World.Support.Id })));
        var secret = created["secret"]!.GetValue<string>();
        var id = created["key"]!["id"]!.GetValue<string>();

        Assert.StartsWith("odk-", secret, StringComparison.Ordinal);
        Assert.Equal(secret[..12], created["key"]!["prefix"]!.GetValue<string>());
        var read = await (await admin.GetAsync($"api-keys/{id}")).Content.ReadAsStringAsync();
        var list = await (await admin.GetAsync("api-keys")).Content.ReadAsStringAsync();
        foreach (var body in new[] { read, list })
        {
            Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"hash\"", body, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", body, StringComparison.Ordinal);
        }

        Assert.True((await host.Gateway.AdmitAsync(secret, AdminHost.ClientAddress, 10)).Admitted);
    }

    [Fact]
    public async Task A_secret_tried_before_its_key_existed_works_as_soon_as_the_key_is_created()
    {
        await using var host = await AdminHost.StartAsync();
        var created = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, host.As(host.World.Dana).PostAsync("api-keys", AdminHost.Body(new { name = "mine" })));
        var secret = created["secret"]!.GetValue<string>();

        Assert.True((await host.Gateway.AdmitAsync(secret, AdminHost.ClientAddress, 10)).Admitted);
    }

    [Fact]
    public async Task Rotation_with_a_grace_period_keeps_the_old_secret_until_the_grace_ends_then_refuses_it()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var created = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "svc" })));
        var old = created["secret"]!.GetValue<string>();
        var id = created["key"]!["id"]!.GetValue<string>();
        Assert.True((await host.Gateway.AdmitAsync(old, AdminHost.ClientAddress, 10)).Admitted);

        var rotated = await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.PostAsync($"api-keys/{id}/rotate", AdminHost.Body(new { grace_seconds = 3600 })));
        var fresh = rotated["secret"]!.GetValue<string>();

        Assert.NotEqual(old, fresh);
        Assert.Equal(host.Clock.GetUtcNow().AddHours(1), rotated["previous_secret_valid_until"]!.GetValue<DateTimeOffset>());
        Assert.True((await host.Gateway.AdmitAsync(fresh, AdminHost.ClientAddress, 10)).Admitted);
        Assert.True((await host.Gateway.AdmitAsync(old, AdminHost.ClientAddress, 10)).Admitted);

        host.Clock.Advance(TimeSpan.FromHours(1));

        var refused = await host.Gateway.AdmitAsync(old, AdminHost.ClientAddress, 10);
        Assert.Equal(RefusalReason.Expired, refused.Refusal!.Reason);
        Assert.True((await host.Gateway.AdmitAsync(fresh, AdminHost.ClientAddress, 10)).Admitted);
    }

    [Fact]
    public async Task Rotation_without_grace_refuses_the_old_secret_on_the_next_admission()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var created = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "svc" })));
        var old = created["secret"]!.GetValue<string>();
        Assert.True((await host.Gateway.AdmitAsync(old, AdminHost.ClientAddress, 10)).Admitted);

        var rotated = await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.PostAsync($"api-keys/{created["key"]!["id"]}/rotate", null));

        Assert.Equal(RefusalReason.UnknownKey, (await host.Gateway.AdmitAsync(old, AdminHost.ClientAddress, 10)).Refusal!.Reason);
        Assert.True((await host.Gateway.AdmitAsync(rotated["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Admitted);
    }

    [Fact]
    public async Task Revoking_refuses_the_next_admission_of_the_key_and_of_its_secret_in_grace()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var created = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "svc" })));
        var id = created["key"]!["id"]!.GetValue<string>();
        var old = created["secret"]!.GetValue<string>();
        var fresh = (await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.PostAsync($"api-keys/{id}/rotate", AdminHost.Body(new { grace_seconds = 600 }))))["secret"]!.GetValue<string>();
        Assert.True((await host.Gateway.AdmitAsync(old, AdminHost.ClientAddress, 10)).Admitted);

        var revoked = await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.PostAsync($"api-keys/{id}/revoke", null));

        Assert.Equal("revoked", revoked["status"]!.GetValue<string>());
        Assert.Equal(RefusalReason.Revoked, (await host.Gateway.AdmitAsync(fresh, AdminHost.ClientAddress, 10)).Refusal!.Reason);
        Assert.Equal(RefusalReason.Revoked, (await host.Gateway.AdmitAsync(old, AdminHost.ClientAddress, 10)).Refusal!.Reason);
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.Conflict, admin.PostAsync($"api-keys/{id}/rotate", null));
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.Conflict, admin.PatchAsync($"api-keys/{id}", AdminHost.Body(new { status = "active" })));
    }

    [Fact]
    public async Task Expiring_or_disabling_a_key_refuses_its_next_admission_and_enabling_admits_again()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var first = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "expiring" })));
        var second = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "paused" })));
        Assert.True((await host.Gateway.AdmitAsync(first["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Admitted);
        Assert.True((await host.Gateway.AdmitAsync(second["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Admitted);

        await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.PostAsync($"api-keys/{first["key"]!["id"]}/expire", null));
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"api-keys/{second["key"]!["id"]}", AdminHost.Body(new { status = "disabled" })));

        Assert.Equal(RefusalReason.Expired, (await host.Gateway.AdmitAsync(first["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Refusal!.Reason);
        Assert.False((await host.Gateway.AdmitAsync(second["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Admitted);

        await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"api-keys/{second["key"]!["id"]}", AdminHost.Body(new { status = "active" })));
        Assert.True((await host.Gateway.AdmitAsync(second["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Admitted);
    }

    [Fact]
    public async Task Deleting_a_key_refuses_its_secret_and_answers_404_afterwards()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var created = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "gone" })));
        var id = created["key"]!["id"]!.GetValue<string>();
        Assert.True((await host.Gateway.AdmitAsync(created["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Admitted);

        await AccessControlTests.AssertStatusAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"api-keys/{id}"));

        Assert.Equal(RefusalReason.UnknownKey, (await host.Gateway.AdmitAsync(created["secret"]!.GetValue<string>(), AdminHost.ClientAddress, 10)).Refusal!.Reason);
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.NotFound, admin.GetAsync($"api-keys/{id}"));
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.NotFound, admin.DeleteAsync($"api-keys/{id}"));
    }

    [Fact]
    public async Task Invalid_keys_are_refused_with_every_field_named_and_duplicates_with_409()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var missingModel = Guid.NewGuid();

        var invalid = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("api-keys", AdminHost.Body(new
        {
            name = "has space", scope = "team", team_id = host.World.Ops.Id, model_grants = new[] { missingModel },
            limits = new { requests_per_minute = 0, ip_allow = new[] { "not-a-cidr" } },
        })));
        var errors = invalid["errors"]!.AsObject();
        Assert.Contains("name", errors.Select(e => e.Key));
        Assert.Contains("team_id", errors.Select(e => e.Key));
        Assert.Contains("model_grants[0]", errors.Select(e => e.Key));
        Assert.Contains("limits.requests_per_minute", errors.Select(e => e.Key));
        Assert.Contains("limits.ip_allow[0]", errors.Select(e => e.Key));

        var unknownField = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("api-keys", AdminHost.Body(new { name = "x", colour = "red" })));
        Assert.Equal("colour: is not a field of this request", unknownField["detail"]!.GetValue<string>());
        var wrongType = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("api-keys", AdminHost.Body(new { name = "x", limits = new { requests_per_minute = "many" } })));
        Assert.Equal(["has a value of the wrong type, or out of its range"], wrongType["errors"]!["limits.requests_per_minute"]!.AsArray().Select(m => m!.GetValue<string>()));
        var truncated = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("api-keys", new StringContent("{\"name\": \"x\", ", System.Text.Encoding.UTF8, "application/json")));
        Assert.StartsWith("body: is not valid JSON (line 1, byte ", truncated["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var array = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("api-keys", AdminHost.Body(new[] { 1 })));
        Assert.Equal("body: must be a JSON object", array["detail"]!.GetValue<string>());
        Assert.DoesNotContain("Odock.", unknownField.ToJsonString() + wrongType.ToJsonString() + truncated.ToJsonString() + array.ToJsonString(), StringComparison.Ordinal);
        var ownerless = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, host.As(host.World.Super).PostAsync("api-keys", AdminHost.Body(new { organisation_id = host.World.Acme.Id, name = "root-made" })));
        Assert.StartsWith("is required", ownerless["errors"]!["user_id"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, host.As(host.World.Super).PostAsync("api-keys", AdminHost.Body(new { organisation_id = host.World.Acme.Id, name = "root-made", user_id = host.World.Dana.Id })));
        var badScope = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("api-keys", AdminHost.Body(new { name = "x", scope = "galaxy" })));
        Assert.NotNull(badScope["errors"]!["scope"]);

        await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name = "twice" })));
        var duplicate = await AccessControlTests.AssertStatusAsync(HttpStatusCode.Conflict, admin.PostAsync("api-keys", AdminHost.Body(new { name = "twice" })));
        Assert.Contains("twice", duplicate["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync($"api-keys/{Guid.NewGuid()}/rotate", AdminHost.Body(new { grace_seconds = -1 })));
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.NotFound, admin.PostAsync($"api-keys/{Guid.NewGuid()}/rotate", AdminHost.Body(new { grace_seconds = 10 })));
    }

    [Fact]
    public async Task Lists_page_by_cursor_without_repeats_in_both_orders_and_reject_a_foreign_cursor()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        foreach (var name in new[] { "k-a", "k-b", "k-c", "k-d", "k-e", "other" })
        {
            await AccessControlTests.AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("api-keys", AdminHost.Body(new { name })));
            host.Clock.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(["k-a", "k-b", "k-c", "k-d", "k-e"], await AllPagesAsync(admin, "api-keys?name_prefix=k-&limit=2"));
        Assert.Equal(["other", "k-e", "k-d", "k-c", "k-b", "k-a"], await AllPagesAsync(admin, "api-keys?sort=created_at&order=desc&limit=4"));
        var firstPage = await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync("api-keys?limit=2"));
        var cursor = firstPage["next_cursor"]!.GetValue<string>();
        var foreign = await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.GetAsync($"api-keys?limit=2&sort=created_at&cursor={cursor}"));
        Assert.NotNull(foreign["errors"]!["cursor"]);
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.GetAsync("api-keys?limit=0"));
        await AccessControlTests.AssertStatusAsync(HttpStatusCode.BadRequest, admin.GetAsync("api-keys?status=sleeping"));
    }

    internal static async Task<List<string>> AllPagesAsync(HttpClient client, string path)
    {
        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await AccessControlTests.AssertStatusAsync(HttpStatusCode.OK, client.GetAsync(cursor is null ? path : $"{path}&cursor={cursor}"));
            names.AddRange(page["data"]!.AsArray().Select(k => k!["name"]!.GetValue<string>()));
            cursor = page["next_cursor"]?.GetValue<string>();
        }
        while (cursor is not null);
        return names;
    }
}
