using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Anthropic.Exceptions;
using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// A path under the gateway's prefixes that no endpoint serves gets 404 in the calling family's own shape, naming what
/// was asked, so an SDK pointed at Odock raises its usual not-found error for an endpoint Odock does not offer.
/// </summary>
public sealed class UnknownEndpointTests : IAsyncLifetime
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(new ModelPricing { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m }, Mock: "support-fast"));

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task The_official_sdks_get_their_own_not_found_errors_naming_the_endpoint()
    {
        var openAi = await Assert.ThrowsAsync<ClientResultException>(() => _gateway.Host.OpenAi(_gateway.Secret).GetModerationClient("omni-moderation-latest").ClassifyTextAsync("hello"));
        Assert.Equal(404, openAi.Status);
        Assert.Contains("POST /v1/moderations", openAi.Message, StringComparison.Ordinal);

        var anthropic = await Assert.ThrowsAsync<AnthropicNotFoundException>(() => _gateway.Host.Anthropic(_gateway.Secret).Messages.Batches.List());
        Assert.Contains("GET /v1/messages/batches", anthropic.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "/v1/chat/completions", "openai")]
    [InlineData("POST", "/v1/files", "openai")]
    [InlineData("GET", "/v1/messages/batches", "anthropic")]
    [InlineData("GET", "/v1beta/files", "gemini")]
    [InlineData("POST", "/odock/v1/embeddings", "odock")]
    public async Task Each_prefix_answers_in_its_familys_shape(string method, string path, string family)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(_gateway.Host.Address, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.Secret);

        using var response = await Http.SendAsync(request);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = answer.RootElement.GetProperty("error");
        Assert.Contains($"{method} {path}", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        switch (family)
        {
            case "gemini":
                Assert.Equal("NOT_FOUND", error.GetProperty("status").GetString());
                break;
            case "anthropic":
                Assert.Equal(("error", "not_found_error"), (answer.RootElement.GetProperty("type").GetString(), error.GetProperty("type").GetString()));
                break;
            case "odock":
                Assert.Equal("unknown_endpoint", error.GetProperty("code").GetString());
                Assert.False(error.TryGetProperty("type", out _));
                break;
            default:
                Assert.Equal(("unknown_endpoint", "invalid_request_error"), (error.GetProperty("code").GetString(), error.GetProperty("type").GetString()));
                break;
        }
    }

    [Fact]
    public async Task Served_endpoints_are_not_shadowed()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gateway.Host.Address, "/v1/models/support-fast"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.Secret);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("support-fast", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
