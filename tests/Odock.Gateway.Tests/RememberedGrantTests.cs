using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Odock.Domain.ApiKeys;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Periods;
using Odock.Domain.Providers;
using Odock.Grains.ApiKeys;

namespace Odock.Gateway.Tests;

/// <summary>
/// A chat request whose key's grant the gateway remembers is read and resolved before the key is asked, and the key
/// decides it with stage 2. Whatever the key has become since (revoked, granted other models, given a budget), the
/// answer and the ledger are those of a gateway that asked the key first.
/// </summary>
public sealed class RememberedGrantTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, OutputPerMillion = 8m };
    private const string ChatCompletions = "/v1/chat/completions";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    private GatewayHost Host => _gateway.Host;

    public async Task InitializeAsync() =>
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast", NotGranted: "not-granted"), alsoGranted: async host =>
            await host.Seed.AddTypedModelAsync("embed-mock", ModelType.Embeddings, await host.Seed.AddProviderAsync("offline-embed", ProviderType.Mock, null), "mock-embed-1", Pricing));

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData(ChatCompletions, """{"model":"support-fast","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData(ChatCompletions, """{"model":"support-fast","messages":""")]
    [InlineData(ChatCompletions, """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData(ChatCompletions, """{"model":"not-granted","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/odock/v1/chat", """{"model":"support-fast","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/odock/v1/chat", """{"models":["support-fast","not-granted"],"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/embeddings", """{"model":"embed-mock","input":"hi"}""")]
    [InlineData("/tokenize", """{"model":"support-fast","prompt":"hi"}""")]
    [InlineData("/v1/embeddings", """{"model":"embed-mock","input":""")]
    public async Task A_key_revoked_after_its_grant_was_remembered_is_refused_401_whatever_the_body_and_is_not_recorded(string path, string body)
    {
        Assert.Equal((200, null), await OutcomeAsync(Chat("support-fast")));
        Assert.Equal((200, null), await OutcomeAsync(Chat("support-fast")));
        await ChangeKeyAsync(key => key with { Status = ApiKeyStatus.Revoked });

        // The body is read before the key is asked, yet the key's refusal wins over every other answer; the key is
        // then asked first.
        Assert.Equal((401, "api_key_revoked"), await OutcomeAsync(body, path: path));
        Assert.Equal((401, "api_key_revoked"), await OutcomeAsync(Chat("support-fast")));

        var (other, _) = await Host.Seed.AddKeyAsync(name: "other", modelGrants: [_gateway.Models["support-fast"].Id]);
        Assert.Equal((200, null), await OutcomeAsync(Chat("support-fast"), other));
        var rows = await Host.LedgerAsync(3);
        Assert.Equal([200, 200, 200], rows.Select(r => r.HttpStatus));
    }

    [Fact]
    public async Task A_grant_changed_after_it_was_remembered_is_resolved_again_before_anything_is_refused_or_reserved()
    {
        Assert.Equal((200, null), await OutcomeAsync(Chat("support-fast")));
        Assert.Equal((403, "model_not_allowed"), await OutcomeAsync(Chat("not-granted")));

        // Granted a model since: the remembered grant would refuse it; the key's current one does not.
        Model notGranted;
        await using (var session = await Host.Seed.Store.OpenAsync())
        {
            notGranted = (await session.Models.FindByNameAsync(Host.Seed.Organisation.Id, "not-granted"))!;
        }

        await ChangeKeyAsync(key => key with { ModelGrants = [.. key.ModelGrants, notGranted.Id] });
        Assert.Equal((200, null), await OutcomeAsync(Chat("not-granted")));
        await ChangeKeyAsync(key => key with { Name = "renamed" });
        Assert.Equal((200, null), await OutcomeAsync(Chat("not-granted"), path: "/odock/v1/chat"));
        await ChangeKeyAsync(key => key with { Name = "renamed-again" });
        Assert.Equal((200, null), await OutcomeAsync("""{"model":"embed-mock","input":"hi"}""", path: "/v1/embeddings"));

        // A budget linked since, with no room: the remembered grant has no budget to reserve; the current one refuses.
        await Host.Seed.AddBudgetAsync(LimitScope.Team, Host.Seed.Team.Id, 0.000001m, "team-tiny", PeriodKind.Lifetime);
        await ChangeKeyAsync(key => key);
        Assert.Equal((402, "budget_exceeded"), await OutcomeAsync(Chat("support-fast")));

        // No longer granted the first model: refused with the current grant, and recorded as a refusal after admission.
        // A token count is not limited or reserved: it asks the key before it is forwarded.
        await ChangeKeyAsync(key => key with { ModelGrants = [notGranted.Id] });
        Assert.Equal((403, "model_not_allowed"), await OutcomeAsync("""{"model":"support-fast","prompt":"hi"}""", path: "/tokenize"));
        Assert.Equal((403, "model_not_allowed"), await OutcomeAsync(Chat("support-fast")));
        var rows = await Host.LedgerAsync(8);
        Assert.Equal([200, 403, 200, 200, 200, 402, 403, 403], rows.OrderBy(r => r.OccurredAt).Select(r => r.HttpStatus));
    }

    private static string Chat(string model) => $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""";

    /// <summary>Changes the key in storage and has its grain reload it, as the admin API does.</summary>
    private async Task ChangeKeyAsync(Func<ApiKey, ApiKey> change)
    {
        var key = await Host.KeyAsync(_gateway.Secret);
        await using (var session = await Host.Seed.Store.OpenAsync())
        {
            await session.ApiKeys.UpdateAsync(change(key));
        }

        await Host.Grains.Get<IApiKeyGrain>(key.Hash).Refresh();
    }

    private async Task<(int Status, string? Code)> OutcomeAsync(string body, string? secret = null, string path = ChatCompletions)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(Host.Address, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret ?? _gateway.Secret);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? ((int)response.StatusCode, null)
            : ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("code").GetString());
    }
}
