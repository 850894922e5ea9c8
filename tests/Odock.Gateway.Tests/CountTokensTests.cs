using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c> through the official Anthropic SDK: an Anthropic model's count is the
/// provider's own, relayed with the upstream slug and the provider key; any other model's is the gateway's estimate.
/// Counting is governed like a chat call (key, model, grant) and recorded at zero cost.
/// </summary>
public sealed class CountTokensTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;
    private FakeAnthropicUpstream _anthropic = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        var pricing = new ModelPricing { Currency = "USD", InputPerMillion = 3m, OutputPerMillion = 15m };
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(pricing, Mock: "support-fast", Anthropic: "claude-smart", NotGranted: "not-granted"));
        (_host, _secret, _anthropic) = (_gateway.Host, _gateway.Secret, _gateway.Anthropic);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task An_anthropic_model_is_counted_by_the_provider_with_the_upstream_slug_and_recorded_at_zero_cost()
    {
        var count = await _host.Anthropic(_secret).Messages.CountTokens(Params("claude-smart"));

        Assert.Equal(1234, count.InputTokens);
        var (sent, headers) = Assert.Single(_anthropic.CountReceived);
        Assert.Equal("claude-sonnet-x", sent["model"]!.GetValue<string>());
        Assert.Equal("How many tokens is this?", sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("sk-ant-secret", headers["x-api-key"].ToString());
        Assert.False(string.IsNullOrEmpty(headers["anthropic-version"].ToString()));
        Assert.Empty(_anthropic.Received);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("anthropic.count_tokens", row.Endpoint);
        Assert.Equal(200, row.HttpStatus);
        Assert.Equal(0m, row.Cost);
    }

    [Fact]
    public async Task Another_model_is_counted_by_the_gateways_estimate_without_calling_any_provider()
    {
        var shortCount = await _host.Anthropic(_secret).Messages.CountTokens(Params("support-fast"));
        var longCount = await _host.Anthropic(_secret).Messages.CountTokens(new MessageCountTokensParams
        {
            Model = "support-fast",
            Messages = [new() { Role = Role.User, Content = string.Concat(Enumerable.Repeat("many more words here ", 50)) }],
        });

        Assert.True(shortCount.InputTokens > 0);
        Assert.True(longCount.InputTokens > shortCount.InputTokens + 200);
        Assert.Empty(_anthropic.CountReceived);
        Assert.Equal(2, (await _host.LedgerAsync(2)).Count(r => r.Endpoint == "anthropic.count_tokens"));
    }

    [Fact]
    public async Task Counting_is_governed_like_a_chat_call()
    {
        await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => _host.Anthropic("odk-nobodyhasthiskeynobodyhasthiskey0000000").Messages.CountTokens(Params("claude-smart")));
        await Assert.ThrowsAsync<AnthropicForbiddenException>(() => _host.Anthropic(_secret).Messages.CountTokens(Params("not-granted")));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => _host.Anthropic(_secret).Messages.CountTokens(Params("no-such-model")));

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/messages/count_tokens"))
        {
            Content = new StringContent("""{"model":"claude-smart"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", _secret);
        using var malformed = await Http.SendAsync(request);
        using var error = JsonDocument.Parse(await malformed.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("messages", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_anthropic.CountReceived);
    }

    private static MessageCountTokensParams Params(string model) => new()
    {
        Model = model,
        Messages = [new() { Role = Role.User, Content = "How many tokens is this?" }],
    };
}
