using System.Net;
using System.Text.Json.Nodes;
using Odock.Domain.ApiKeys;

namespace Odock.Admin.Tests.Api;

/// <summary>Every endpoint refuses callers outside the record's organisation, and roles too small for an action.</summary>
public sealed class AccessControlTests
{
    [Fact]
    public async Task An_admin_of_another_organisation_can_neither_read_nor_change_anything_of_acme()
    {
        await using var host = await AdminHost.StartAsync();
        var w = host.World;
        var key = await CreateKeyAsync(host, new { name = "acme-bot", scope = "team", team_id = w.Support.Id });
        var owner = host.As(w.AcmeAdmin);
        var provider = (await AssertStatusAsync(HttpStatusCode.Created, owner.PostAsync("providers", AdminHost.Body(new { name = "openai", type = "openai" }))))["id"]!.GetValue<string>();
        var providerKey = (await AssertStatusAsync(HttpStatusCode.Created, owner.PostAsync($"providers/{provider}/keys", AdminHost.Body(new { name = "prod", secret = "sk-acme-secret-value" }))))["id"]!.GetValue<string>();
        var model = (await AssertStatusAsync(HttpStatusCode.Created, owner.PostAsync("models", AdminHost.Body(new { name = "fast", upstream_slug = "gpt", provider_id = provider }))))["id"]!.GetValue<string>();
        var budget = (await AssertStatusAsync(HttpStatusCode.Created, owner.PostAsync("budgets", AdminHost.Body(new { name = "b", amount = 5m, currency = "USD", period = "monthly" }))))["id"]!.GetValue<string>();
        var quota = (await AssertStatusAsync(HttpStatusCode.Created, owner.PostAsync("quotas", AdminHost.Body(new { name = "q", unit = "tokens", limit = 5, period = "monthly" }))))["id"]!.GetValue<string>();
        var server = (await AssertStatusAsync(HttpStatusCode.Created, owner.PostAsync("mcp-servers", AdminHost.Body(new { name = "files", transport = "sse", url = "http://127.0.0.1:9/sse" }))))["id"]!.GetValue<string>();
        var intruder = host.As(w.GlobexAdmin);
        var attempts = new (HttpMethod Method, string Path, object? Body, HttpStatusCode Expected)[]
        {
            (HttpMethod.Get, $"organisations/{w.Acme.Id}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"organisations/{w.Acme.Id}", new { display_name = "pwned" }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"organisations/{w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"teams?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "teams", new { organisation_id = w.Acme.Id, name = "sleeper" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"teams/{w.Support.Id}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"teams/{w.Support.Id}", new { description = "pwned" }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"teams/{w.Support.Id}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"teams/{w.Support.Id}/members", null, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"teams/{w.Support.Id}/members", new { user_id = w.GlobexAdmin.Id }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"teams/{w.Support.Id}/members/{w.Dana.Id}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"users?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "users", new { organisation_id = w.Acme.Id, email = "mole@acme.test", role = "organisation_admin" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"users/{w.Dana.Id}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"users/{w.Dana.Id}", new { role = "organisation_admin" }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"users/{w.Dana.Id}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"api-keys?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "api-keys", new { organisation_id = w.Acme.Id, name = "mole", scope = "organisation" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"api-keys/{key}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"api-keys/{key}", new { status = "disabled" }, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"api-keys/{key}/rotate", new { grace_seconds = 0 }, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"api-keys/{key}/revoke", null, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"api-keys/{key}/expire", null, HttpStatusCode.NotFound),
            (HttpMethod.Put, $"api-keys/{key}/routing", new { targets = new[] { new { model = "fast" } } }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"api-keys/{key}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"audit?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"api-keys/{key}/routing", null, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"api-keys/{key}/routing", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"providers?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "providers", new { organisation_id = w.Acme.Id, name = "x", type = "openai" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"providers/{provider}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"providers/{provider}", new { base_url = "http://evil.example" }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"providers/{provider}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"providers/{provider}/keys", null, HttpStatusCode.NotFound),
            (HttpMethod.Post, $"providers/{provider}/keys", new { name = "mine", secret = "sk-evil-evil-evil" }, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"provider-keys/{providerKey}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"provider-keys/{providerKey}", new { secret = "sk-evil-evil-evil" }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"provider-keys/{providerKey}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"models?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "models", new { organisation_id = w.Acme.Id, name = "m", upstream_slug = "m", provider_id = provider }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"models/{model}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"models/{model}", new { enabled = false }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"models/{model}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"models/{model}/api-keys", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"budgets?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "budgets", new { organisation_id = w.Acme.Id, name = "x", amount = 1m, currency = "USD", period = "daily" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"budgets/{budget}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"budgets/{budget}", new { amount = 0m }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"budgets/{budget}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"quotas?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "quotas", new { organisation_id = w.Acme.Id, name = "x", unit = "requests", limit = 1, period = "daily" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"quotas/{quota}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"quotas/{quota}", new { limit = 0 }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"quotas/{quota}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"mcp-servers?organisation_id={w.Acme.Id}", null, HttpStatusCode.Forbidden),
            (HttpMethod.Post, "mcp-servers", new { organisation_id = w.Acme.Id, name = "x", transport = "sse", url = "http://x.example" }, HttpStatusCode.Forbidden),
            (HttpMethod.Get, $"mcp-servers/{server}", null, HttpStatusCode.NotFound),
            (HttpMethod.Patch, $"mcp-servers/{server}", new { enabled = false }, HttpStatusCode.NotFound),
            (HttpMethod.Delete, $"mcp-servers/{server}", null, HttpStatusCode.NotFound),
            (HttpMethod.Get, $"mcp-servers/{server}/api-keys", null, HttpStatusCode.NotFound),
        };

        foreach (var (method, path, body, expected) in attempts)
        {
            using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : AdminHost.Body(body) };
            var response = await intruder.SendAsync(request);
            Assert.True(expected == response.StatusCode, $"{method} {path}: expected {expected}, got {response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        }

        var unchanged = await AdminHost.JsonAsync(await owner.GetAsync($"api-keys/{key}"));
        Assert.Equal("active", unchanged["status"]!.GetValue<string>());
        Assert.True((await AdminHost.JsonAsync(await owner.GetAsync($"models/{model}")))["enabled"]!.GetValue<bool>());
        Assert.Equal(5m, (await AdminHost.JsonAsync(await owner.GetAsync($"budgets/{budget}")))["amount"]!.GetValue<decimal>());
        Assert.Null((await AdminHost.JsonAsync(await owner.GetAsync($"providers/{provider}")))["base_url"]);
        Assert.DoesNotContain("globex", (await owner.GetStringAsync("audit?limit=200")), StringComparison.Ordinal);
        var globexList = await AdminHost.JsonAsync(await intruder.GetAsync("organisations"));
        Assert.Equal(["globex"], globexList["data"]!.AsArray().Select(o => o!["name"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("GET", "reports", HttpStatusCode.NotFound, "not-found", "serves no /api/admin/v1/reports")]
    [InlineData("POST", "budgets/limits/x", HttpStatusCode.NotFound, "not-found", "serves no /api/admin/v1/budgets/limits/x")]
    [InlineData("PUT", "budgets", HttpStatusCode.MethodNotAllowed, "method-not-allowed", "/api/admin/v1/budgets does not take PUT")]
    [InlineData("DELETE", "usage", HttpStatusCode.MethodNotAllowed, "method-not-allowed", "/api/admin/v1/usage does not take DELETE")]
    public async Task A_path_or_method_no_route_serves_is_a_problem_naming_it(string method, string path, HttpStatusCode status, string type, string detail)
    {
        await using var host = await AdminHost.StartAsync();

        var problem = await AssertStatusAsync(status, host.As(host.World.AcmeAdmin).SendAsync(new HttpRequestMessage(new HttpMethod(method), path)));

        Assert.Equal($"urn:odock:problem:{type}", problem["type"]!.GetValue<string>());
        Assert.Contains(detail, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_may_manage_only_their_own_keys_and_see_only_themselves()
    {
        await using var host = await AdminHost.StartAsync();
        var w = host.World;
        var teamKey = await CreateKeyAsync(host, new { name = "support-bot", scope = "team", team_id = w.Support.Id });
        var dana = host.As(w.Dana);

        var own = await dana.PostAsync("api-keys", AdminHost.Body(new { name = "dana-laptop" }));
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal(w.Dana.Id, Guid.Parse((await AdminHost.JsonAsync(own))["key"]!["user_id"]!.GetValue<string>()));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.PostAsync("api-keys", AdminHost.Body(new { name = "org-wide", scope = "organisation" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.PostAsync("api-keys", AdminHost.Body(new { name = "for-manager", user_id = w.Manager.Id })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.GetAsync($"api-keys/{teamKey}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.PostAsync($"api-keys/{teamKey}/revoke", null));
        var listed = await AdminHost.JsonAsync(await dana.GetAsync("api-keys"));
        Assert.Equal(["dana-laptop"], listed["data"]!.AsArray().Select(k => k!["name"]!.GetValue<string>()));

        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.GetAsync($"users/{w.Manager.Id}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.PatchAsync($"users/{w.Dana.Id}", AdminHost.Body(new { role = "organisation_admin" })));
        await AssertStatusAsync(HttpStatusCode.OK, dana.PatchAsync($"users/{w.Dana.Id}", AdminHost.Body(new { display_name = "Dana" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.PostAsync("teams", AdminHost.Body(new { name = "shadow" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.PostAsync("users", AdminHost.Body(new { organisation_id = w.Acme.Id, email = "x@acme.test", role = "user" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.PatchAsync($"organisations/{w.Acme.Id}", AdminHost.Body(new { display_name = "Dana Corp" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.GetAsync("audit"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, dana.DeleteAsync($"users/{w.Manager.Id}"));
    }

    [Fact]
    public async Task A_manager_administers_the_keys_of_their_teams_and_nothing_beyond()
    {
        await using var host = await AdminHost.StartAsync();
        var w = host.World;
        var research = await CreateKeyAsync(host, new { name = "research-bot", scope = "team", team_id = w.Research.Id });
        var manager = host.As(w.Manager);

        var created = await manager.PostAsync("api-keys", AdminHost.Body(new { name = "support-bot", scope = "team", team_id = w.Support.Id }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var supportKey = (await AdminHost.JsonAsync(created))["key"]!["id"]!.GetValue<string>();
        await AssertStatusAsync(HttpStatusCode.OK, manager.PostAsync($"api-keys/{supportKey}/rotate", AdminHost.Body(new { grace_seconds = 60 })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.PostAsync("api-keys", AdminHost.Body(new { name = "r2", scope = "team", team_id = w.Research.Id })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.GetAsync($"api-keys/{research}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.GetAsync($"teams/{w.Research.Id}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.DeleteAsync($"teams/{w.Support.Id}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.PostAsync("teams", AdminHost.Body(new { name = "mine" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.PostAsync($"teams/{w.Support.Id}/members", AdminHost.Body(new { user_id = w.AcmeAdmin.Id })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.GetAsync("audit"));
        await AssertStatusAsync(HttpStatusCode.OK, manager.GetAsync($"users/{w.Dana.Id}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, manager.GetAsync($"users/{w.AcmeAdmin.Id}"));
        var keys = await AdminHost.JsonAsync(await manager.GetAsync("api-keys"));
        Assert.Equal(["support-bot"], keys["data"]!.AsArray().Select(k => k!["name"]!.GetValue<string>()));
        var teams = await AdminHost.JsonAsync(await manager.GetAsync("teams"));
        Assert.Equal(["support"], teams["data"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task An_organisation_admin_cannot_create_organisations_or_super_admins()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);

        await AssertStatusAsync(HttpStatusCode.Forbidden, admin.PostAsync("organisations", AdminHost.Body(new { name = "initech" })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, admin.DeleteAsync($"organisations/{host.World.Acme.Id}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, admin.PatchAsync($"organisations/{host.World.Acme.Id}", AdminHost.Body(new { enabled = false })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, admin.PostAsync("users", AdminHost.Body(new { email = "god@acme.test", role = "super_admin" })));
        await AssertStatusAsync(HttpStatusCode.NotFound, admin.GetAsync($"users/{host.World.Super.Id}"));
        await AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"organisations/{host.World.Acme.Id}", AdminHost.Body(new { display_name = "Acme Corp" })));
    }

    internal static async Task<Guid> CreateKeyAsync(AdminHost host, object body)
    {
        var response = await host.As(host.World.AcmeAdmin).PostAsync("api-keys", AdminHost.Body(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Guid.Parse((await AdminHost.JsonAsync(response))["key"]!["id"]!.GetValue<string>());
    }

    internal static async Task<JsonObject> AssertStatusAsync(HttpStatusCode expected, Task<HttpResponseMessage> call)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: expected {expected}, got {response.StatusCode}: {text}");
        return text.Length == 0 ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
