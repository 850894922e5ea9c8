using System.Net;
using static Odock.Admin.Tests.Api.AccessControlTests;

namespace Odock.Admin.Tests.Api;

/// <summary>Organisations, teams and users: each operation's success, validation, not-found and conflict answers.</summary>
public sealed class DirectoryCrudTests
{
    [Fact]
    public async Task A_super_admin_creates_reads_renames_lists_and_deletes_an_organisation()
    {
        await using var host = await AdminHost.StartAsync();
        var root = host.As(host.World.Super);

        var created = await AssertStatusAsync(HttpStatusCode.Created, root.PostAsync("organisations", AdminHost.Body(new { name = "initech", display_name = "Initech" })));
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("Initech", (await AssertStatusAsync(HttpStatusCode.OK, root.GetAsync($"organisations/{id}")))["display_name"]!.GetValue<string>());
        Assert.Equal("initech-2", (await AssertStatusAsync(HttpStatusCode.OK, root.PatchAsync($"organisations/{id}", AdminHost.Body(new { name = "initech-2" }))))["name"]!.GetValue<string>());
        Assert.Equal(["acme", "globex", "initech-2"], await ApiKeyLifecycleTests.AllPagesAsync(root, "organisations?limit=2"));
        await AssertStatusAsync(HttpStatusCode.NoContent, root.DeleteAsync($"organisations/{id}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, root.GetAsync($"organisations/{id}"));
    }

    [Fact]
    public async Task A_super_admin_is_created_without_an_organisation_and_one_named_is_refused_not_dropped()
    {
        await using var host = await AdminHost.StartAsync();
        var root = host.As(host.World.Super);

        var refused = await AssertStatusAsync(HttpStatusCode.BadRequest, root.PostAsync("users", AdminHost.Body(new { email = "second@odock.test", role = "super_admin", organisation_id = host.World.Acme.Id })));
        var created = await AssertStatusAsync(HttpStatusCode.Created, root.PostAsync("users", AdminHost.Body(new { email = "second@odock.test", role = "super_admin" })));

        Assert.NotNull(refused["errors"]!["organisation_id"]);
        Assert.Equal("super_admin", created["role"]!.GetValue<string>());
        Assert.Null(created["organisation_id"]);
    }

    [Fact]
    public async Task Organisation_validation_duplicates_and_deleting_one_in_use_are_explained()
    {
        await using var host = await AdminHost.StartAsync();
        var root = host.As(host.World.Super);

        var invalid = await AssertStatusAsync(HttpStatusCode.BadRequest, root.PostAsync("organisations", AdminHost.Body(new { name = "no spaces allowed" })));
        Assert.NotNull(invalid["errors"]!["name"]);
        var missing = await AssertStatusAsync(HttpStatusCode.BadRequest, root.PostAsync("organisations", AdminHost.Body(new { display_name = "Nameless" })));
        Assert.Equal("is required", missing["errors"]!["name"]![0]!.GetValue<string>());
        var duplicate = await AssertStatusAsync(HttpStatusCode.Conflict, root.PostAsync("organisations", AdminHost.Body(new { name = "acme" })));
        Assert.Contains("acme", duplicate["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var inUse = await AssertStatusAsync(HttpStatusCode.Conflict, root.DeleteAsync($"organisations/{host.World.Acme.Id}"));
        Assert.Contains("3 user(s), 2 team(s)", inUse["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertStatusAsync(HttpStatusCode.NotFound, root.PatchAsync($"organisations/{Guid.NewGuid()}", AdminHost.Body(new { display_name = "x" })));
        await AssertStatusAsync((HttpStatusCode)415, root.PostAsync("organisations", new StringContent("name=x")));
        await AssertStatusAsync(HttpStatusCode.BadRequest, root.PostAsync("organisations", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json")));
    }

    [Fact]
    public async Task An_organisation_admin_manages_teams_and_membership_and_cannot_delete_a_team_keys_use()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);

        var team = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("teams", AdminHost.Body(new { name = "billing", description = "Money" })));
        var id = team["id"]!.GetValue<string>();
        Assert.Equal(host.World.Acme.Id, Guid.Parse(team["organisation_id"]!.GetValue<string>()));
        await AssertStatusAsync(HttpStatusCode.Conflict, admin.PostAsync("teams", AdminHost.Body(new { name = "billing" })));
        await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("teams", AdminHost.Body(new { name = "" })));
        Assert.Equal("Invoices", (await AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"teams/{id}", AdminHost.Body(new { description = "Invoices" }))))["description"]!.GetValue<string>());
        await AssertStatusAsync(HttpStatusCode.NoContent, admin.PostAsync($"teams/{id}/members", AdminHost.Body(new { user_id = host.World.Dana.Id })));
        var invalidMember = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync($"teams/{id}/members", AdminHost.Body(new { user_id = host.World.GlobexAdmin.Id })));
        Assert.NotNull(invalidMember["errors"]!["user_id"]);
        Assert.Contains("dana@acme.test", await admin.GetStringAsync($"teams/{id}/members"), StringComparison.Ordinal);
        Assert.Equal(["billing", "research", "support"], await ApiKeyLifecycleTests.AllPagesAsync(admin, "teams?limit=1"));

        await CreateKeyAsync(host, new { name = "billing-bot", scope = "team", team_id = id });
        var inUse = await AssertStatusAsync(HttpStatusCode.Conflict, admin.DeleteAsync($"teams/{id}"));
        Assert.Contains("billing-bot", inUse["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertStatusAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"teams/{host.World.Research.Id}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, admin.GetAsync($"teams/{host.World.Research.Id}"));
    }

    [Fact]
    public async Task An_organisation_admin_creates_updates_and_deletes_users_with_each_problem_named()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);

        var created = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("users", AdminHost.Body(new
        {
            organisation_id = host.World.Acme.Id, email = " New.Person@Acme.test ", role = "manager", password = "a-long-enough-password",
        })));
        var id = created["id"]!.GetValue<string>();
        Assert.Equal("new.person@acme.test", created["email"]!.GetValue<string>());
        Assert.True(created["has_password"]!.GetValue<bool>());
        Assert.DoesNotContain("password_hash", created.ToJsonString(), StringComparison.Ordinal);

        var invalid = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("users", AdminHost.Body(new { organisation_id = host.World.Acme.Id, email = "nope", password = "short" })));
        Assert.NotNull(invalid["errors"]!["email"]);
        Assert.NotNull(invalid["errors"]!["role"]);
        Assert.NotNull(invalid["errors"]!["password"]);
        await AssertStatusAsync(HttpStatusCode.Conflict, admin.PostAsync("users", AdminHost.Body(new { organisation_id = host.World.Acme.Id, email = "dana@acme.test", role = "user" })));

        Assert.Equal("disabled", (await AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"users/{id}", AdminHost.Body(new { status = "disabled" }))))["status"]!.GetValue<string>());
        await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PatchAsync($"users/{id}", AdminHost.Body(new { role = "wizard" })));
        Assert.Contains("new.person@acme.test", (await AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync("users"))).ToJsonString(), StringComparison.Ordinal);
        await AssertStatusAsync(HttpStatusCode.NoContent, admin.DeleteAsync($"users/{id}"));
        await AssertStatusAsync(HttpStatusCode.NotFound, admin.GetAsync($"users/{id}"));
        await AssertStatusAsync(HttpStatusCode.Conflict, admin.DeleteAsync($"users/{host.World.AcmeAdmin.Id}"));
    }
}
