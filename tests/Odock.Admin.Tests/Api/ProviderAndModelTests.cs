using System.Net;
using System.Security.Cryptography;
using System.Text;
using Odock.Storage.Secrets;
using Microsoft.Extensions.DependencyInjection;
using static Odock.Admin.Tests.Api.AccessControlTests;

namespace Odock.Admin.Tests.Api;

public sealed class ProviderAndModelTests
{
    private const string UpstreamSecret = "sk-test-0123456789abcdefWXYZ";

    [Fact]
    public async Task A_provider_key_encrypted_with_the_published_rsa_key_is_accepted_stored_encrypted_and_never_returned()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var provider = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("providers", AdminHost.Body(new { name = "openai", type = "openai" })));
        var published = await AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync("provider-keys/encryption-key"));
        Assert.Equal("RSA-OAEP-256", published["jwk"]!["alg"]!.GetValue<string>());
        using var rsa = RSA.Create();
        rsa.ImportFromPem(published["pem"]!.GetValue<string>());
        var ciphertext = Convert.ToBase64String(rsa.Encrypt(Encoding.UTF8.GetBytes(UpstreamSecret), RSAEncryptionPadding.OaepSHA256));

        var created = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync($"providers/{provider["id"]}/keys", AdminHost.Body(new { name = "production", encrypted_secret = ciphertext })));

        Assert.Equal("…WXYZ", created["secret_hint"]!.GetValue<string>());
        var everything = string.Join('\n',
            created.ToJsonString(),
            await admin.GetStringAsync($"provider-keys/{created["id"]}"),
            await admin.GetStringAsync($"providers/{provider["id"]}/keys"),
            await host.As(host.World.Super).GetStringAsync("audit?limit=200"));
        Assert.DoesNotContain(UpstreamSecret, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(ciphertext, everything, StringComparison.Ordinal);
        await using var session = await host.Store.OpenAsync();
        var stored = await session.ProviderKeys.GetAsync(Guid.Parse(created["id"]!.GetValue<string>()));
        Assert.DoesNotContain(UpstreamSecret, Encoding.UTF8.GetString(stored!.EncryptedSecret), StringComparison.Ordinal);
        Assert.Equal(UpstreamSecret, host.Services.GetRequiredService<ISecretProtector>().Unprotect(stored.EncryptedSecret));
    }

    [Fact]
    public async Task The_encryption_key_survives_a_restart_of_the_process_because_it_is_stored_under_the_master_key()
    {
        await using var host = await AdminHost.StartAsync();
        var first = (await AssertStatusAsync(HttpStatusCode.OK, host.As(host.World.Dana).GetAsync("provider-keys/encryption-key")))["pem"]!.GetValue<string>();
        using var other = new Odock.Admin.Api.ProviderKeys.ProviderKeyEncryption(host.Store, host.Services.GetRequiredService<ISecretProtector>(), TimeProvider.System);

        var second = (await other.PublicKeyAsync(CancellationToken.None)).Pem;

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Provider_keys_accept_plaintext_refuse_bad_ciphertext_and_both_forms_at_once()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var provider = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("providers", AdminHost.Body(new { name = "anthropic", type = "anthropic" })));
        var keys = $"providers/{provider["id"]}/keys";

        await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync(keys, AdminHost.Body(new { name = "plain", secret = UpstreamSecret })));
        Assert.NotNull((await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync(keys, AdminHost.Body(new { name = "bad", encrypted_secret = "bm90IGVuY3J5cHRlZA==" }))))["errors"]!["encrypted_secret"]);
        Assert.NotNull((await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync(keys, AdminHost.Body(new { name = "both", secret = "x", encrypted_secret = "y" }))))["errors"]!["secret"]);
        Assert.NotNull((await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync(keys, AdminHost.Body(new { name = "none" }))))["errors"]!["encrypted_secret"]);
        await AssertStatusAsync(HttpStatusCode.Conflict, admin.PostAsync(keys, AdminHost.Body(new { name = "plain", secret = UpstreamSecret })));
        await AssertStatusAsync(HttpStatusCode.Forbidden, host.As(host.World.Manager).PostAsync(keys, AdminHost.Body(new { name = "mine", secret = UpstreamSecret })));
        await AssertStatusAsync(HttpStatusCode.NotFound, host.As(host.World.GlobexAdmin).GetAsync(keys));
    }

    [Fact]
    public async Task Models_carry_pricing_policies_and_capabilities_and_list_the_keys_granted_them()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var provider = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("providers", AdminHost.Body(new { name = "openai", type = "openai" })));
        var model = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("models", AdminHost.Body(new
        {
            name = "support-fast", upstream_slug = "gpt-4.1-mini", provider_id = provider["id"]!.GetValue<string>(), capabilities = new[] { "tool_use", "vision" },
            pricing = new { currency = "USD", input_per_million = 0.4m, output_per_million = 1.6m }, policies = new { requests_per_minute = 600 },
        })));
        var modelId = model["id"]!.GetValue<string>();
        Assert.Equal(1.6m, model["pricing"]!["output_per_million"]!.GetValue<decimal>());
        Assert.Equal(["tool_use", "vision"], model["capabilities"]!.AsArray().Select(c => c!.GetValue<string>()));

        var invalid = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PostAsync("models", AdminHost.Body(new
        {
            name = "broken", provider_id = Guid.NewGuid(), pricing = new { currency = "XXX", input_per_million = -1 },
        })));
        var fields = invalid["errors"]!.AsObject().Select(e => e.Key).ToArray();
        Assert.Contains("upstream_slug", fields);
        Assert.Contains("provider_id", fields);
        Assert.Contains("pricing.currency", fields);
        Assert.Contains("pricing.input_per_million", fields);

        foreach (var name in new[] { "b-key", "a-key", "c-key" })
        {
            await CreateKeyAsync(host, new { name, model_grants = new[] { modelId } });
        }

        await CreateKeyAsync(host, new { name = "no-grant" });
        Assert.Equal(["a-key", "b-key", "c-key"], await ApiKeyLifecycleTests.AllPagesAsync(admin, $"models/{modelId}/api-keys?limit=2"));
        var inUse = await AssertStatusAsync(HttpStatusCode.Conflict, admin.DeleteAsync($"models/{modelId}"));
        Assert.Contains("a-key", inUse["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var providerInUse = await AssertStatusAsync(HttpStatusCode.Conflict, admin.DeleteAsync($"providers/{provider["id"]}"));
        Assert.Contains("support-fast", providerInUse["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"models/{modelId}", AdminHost.Body(new { enabled = false })));
        await AssertStatusAsync(HttpStatusCode.NotFound, host.As(host.World.GlobexAdmin).GetAsync($"models/{modelId}"));
        await AssertStatusAsync(HttpStatusCode.Forbidden, host.As(host.World.Dana).PostAsync("models", AdminHost.Body(new { name = "x" })));
        Assert.Contains("support-fast", await host.As(host.World.Dana).GetStringAsync("models"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Model_pricing_takes_and_returns_hosted_tool_prices_on_create_and_update_and_refuses_a_negative_or_misspelt_price()
    {
        await using var host = await AdminHost.StartAsync();
        var admin = host.As(host.World.AcmeAdmin);
        var provider = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("providers", AdminHost.Body(new { name = "openai", type = "openai" })));
        var created = await AssertStatusAsync(HttpStatusCode.Created, admin.PostAsync("models", AdminHost.Body(new
        {
            name = "researcher", upstream_slug = "gpt-4.1", provider_id = provider["id"]!.GetValue<string>(),
            pricing = new { currency = "USD", input_per_million = 2m, hosted_tool_prices = new { web_search = 0.01m, file_search = 0.0025m } },
        })));
        var modelId = created["id"]!.GetValue<string>();

        var updated = await AssertStatusAsync(HttpStatusCode.OK, admin.PatchAsync($"models/{modelId}", AdminHost.Body(new
        {
            pricing = new { currency = "USD", input_per_million = 2m, hosted_tool_prices = new { web_search = 0.025m } },
        })));
        var refused = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PatchAsync($"models/{modelId}", AdminHost.Body(new
        {
            pricing = new { currency = "USD", hosted_tool_prices = new { web_search = -0.01m } },
        })));
        var misspelt = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PatchAsync($"models/{modelId}", AdminHost.Body(new
        {
            pricing = new { currency = "USD", hosted_tools_prices = new { web_search = 0.5m } },
        })));
        var misspeltInSchedule = await AssertStatusAsync(HttpStatusCode.BadRequest, admin.PatchAsync($"models/{modelId}", AdminHost.Body(new
        {
            pricing = new { schedule = new[] { new { currency = "USD", input_per_milion = 2m } } },
        })));

        Assert.Equal(
            [("file_search", 0.0025m), ("web_search", 0.01m)],
            created["pricing"]!["hosted_tool_prices"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<decimal>())).OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal([("web_search", 0.025m)], updated["pricing"]!["hosted_tool_prices"]!.AsObject().Select(p => (p.Key, p.Value!.GetValue<decimal>())));
        var read = await AssertStatusAsync(HttpStatusCode.OK, admin.GetAsync($"models/{modelId}"));
        Assert.Equal(0.025m, read["pricing"]!["hosted_tool_prices"]!["web_search"]!.GetValue<decimal>());
        Assert.Contains("pricing.hosted_tool_prices.web_search", refused["errors"]!.AsObject().Select(e => e.Key));
        Assert.Contains("hosted_tools_prices", misspelt["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("input_per_milion", misspeltInSchedule["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        await using var session = await host.Store.OpenAsync();
        var stored = await session.Models.GetAsync(Guid.Parse(modelId));
        Assert.Equal([("web_search", 0.025m)], stored!.Pricing.Entries.Single().HostedToolPrices.Select(p => (p.Key, p.Value)));
    }
}
