using System.Net;
using static Odock.Admin.Tests.Api.AccessControlTests;

namespace Odock.Admin.Tests.Api;

public sealed class McpAndRoutingTests
{
    [Fact]
    public async Task Mcp_servers_keep_their_tool_lists_list_the_keys_granted_them_and_refuse_deletion_while_granted()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var server = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("mcp-servers", AdminHost.Body(new
        {
            name = "files", transport = "streamable_http", url = "http://127.0.0.1:9/mcp", allowed_tools = new[] { "read_file" }, blocked_tools = new[] { "delete_file" },
            pricing = new { currency = "USD", per_call = 0.001m },
        })));
        var id = server["id"]!.GetValue<string>();
        Assert.Equal(["read_file"], server["allowed_tools"]!.AsArray().Select(t => t!.GetValue<string>()));

        var invalid = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("mcp-servers", AdminHost.Body(new
        {
            name = "bad", transport = "stdio", url = "http://x", allowed_tools = new[] { "a" }, blocked_tools = new[] { "a" },
        })));
        var fields = invalid["errors"]!.AsObject().Select(e => e.Key).ToArray();
        Assert.Contains("command", fields);
        Assert.Contains("url", fields);
        Assert.Contains("allowed_tools", fields);

        await CreateKeyAsync(host, new { name = "agent", mcp_grants = new[] { id } });
        Assert.Equal(["agent"], await ApiKeyLifecycleTests.AllPagesAsync(admin, $"mcp-servers/{id}/api-keys?limit=5"));
        var inUse = await AssertStatusAsync(HttpStatusCode.Conflict, admin.DeleteAsync($"mcp-servers/{id}"));
        Assert.Contains("agent", inUse["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["delete_file", "write_file"], (await AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"mcp-servers/{id}", AdminHost.Body(new { blocked_tools = new[] { "delete_file", "write_file" } }))))["blocked_tools"]!.AsArray().Select(t => t!.GetValue<string>()));
        await AssertStatusAsync(HttpStatusCode.NotFound, host.As(host.World.GlobexAdmin).GetAsync($"mcp-servers/{id}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, host.As(host.World.Manager).PatchAsync($"mcp-servers/{id}", AdminHost.Body(new { enabled = false })));
    }

    [Fact]
    public async Task A_keys_routing_policy_is_set_read_and_removed_and_must_name_models_of_its_organisation()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var provider = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("providers", AdminHost.Body(new { name = "mock", type = "mock" })));
        foreach (var name in new[] { "fast", "smart" })
        {
            await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("models", AdminHost.Body(new { name, upstream_slug = name, provider_id = provider["id"]!.GetValue<string>() })));
        }

        var key = await CreateKeyAsync(host, new { name = "routed" });
        var set = await AssertStatusAsync(HttpStatusCode.OK, admin.PutAsync($"api-keys/{key}/routing", AdminHost.Body(new
        {
            strategy = "weighted", targets = new object[] { new { model = "fast", weight = 3 }, new { model = "smart", weight = 1 } }, max_attempts = 2,
        })));
        Assert.Equal("weighted", set["routing"]!["strategy"]!.GetValue<string>());
        Assert.Equal(3, (await AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync($"api-keys/{key}/routing")))["targets"]![0]!["weight"]!.GetValue<int>());

        var invalid = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PutAsync($"api-keys/{key}/routing", AdminHost.Body(new
        {
            strategy = "failover", targets = new object[] { new { model = "missing", weight = 1 }, new { model = "fast", weight = 0 } }, max_attempts = 11,
        })));
        var fields = invalid["errors"]!.AsObject().Select(e => e.Key).ToArray();
        Assert.Contains("routing.targets[0].model", fields);
        Assert.Contains("routing.targets[1].weight", fields);
        Assert.Contains("routing.max_attempts", fields);

        await AssertStatusAsync(HttpStatusCode.OK, admin.DeleteAsync($"api-keys/{key}/routing"));
        Assert.Equal(HttpStatusCode.NoContent, (await admin.GetAsync($"api-keys/{key}/routing")).StatusCode);
        await AssertStatusAsync(HttpStatusCode.NotFound, host.As(host.World.GlobexAdmin).PutAsync($"api-keys/{key}/routing", AdminHost.Body(new { targets = new[] { new { model = "fast" } } })));
    }
}
