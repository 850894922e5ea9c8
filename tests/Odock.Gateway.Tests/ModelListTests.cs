using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Anthropic.Exceptions;
using Anthropic.Models.Models;
using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// The model lists in each family's own shape: Anthropic's SDK reads <c>GET /v1/models</c> as its pages of models, and
/// Gemini's clients read <c>GET /v1beta/models</c>. Only the enabled models the key may use are listed.
/// </summary>
public sealed class ModelListTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m, EmbeddingPerMillion = 0.1m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, Mock: "support-fast", NotGranted: "not-granted"),
            alsoGranted: SeededChatGateway.MockEmbeddings("embed-mock", Pricing));

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task The_anthropic_sdk_lists_and_retrieves_the_keys_models_in_its_own_shape()
    {
        var client = _gateway.Host.Anthropic(_gateway.Secret);

        var page = await client.Models.List(new ModelListParams());
        page.Validate();
        Assert.Equal(["embed-mock", "support-fast"], page.Items.Select(m => m.ID));
        Assert.False(page.HasNext());

        var one = await client.Models.Retrieve("support-fast", new ModelRetrieveParams());
        Assert.Equal(("support-fast", "support-fast"), (one.ID, one.DisplayName));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => client.Models.Retrieve("not-granted", new ModelRetrieveParams()));
        await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => _gateway.Host.Anthropic("odk-nobodyhasthiskeynobodyhasthiskey0000000").Models.List(new ModelListParams()));
    }

    [Fact]
    public async Task Gemini_lists_the_keys_models_with_the_methods_served_for_each()
    {
        using var list = JsonDocument.Parse(await GetAsync("/v1beta/models", HttpStatusCode.OK));
        var models = list.RootElement.GetProperty("models").EnumerateArray().ToDictionary(
            m => m.GetProperty("name").GetString()!,
            m => m.GetProperty("supportedGenerationMethods").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.Equal(["models/embed-mock", "models/support-fast"], models.Keys);
        Assert.Equal(["embedContent", "batchEmbedContents"], models["models/embed-mock"]);
        Assert.Contains("generateContent", models["models/support-fast"]);

        using var one = JsonDocument.Parse(await GetAsync("/v1beta/models/support-fast", HttpStatusCode.OK));
        Assert.Equal("models/support-fast", one.RootElement.GetProperty("name").GetString());

        using var missing = JsonDocument.Parse(await GetAsync("/v1beta/models/not-granted", HttpStatusCode.NotFound));
        Assert.Equal("NOT_FOUND", missing.RootElement.GetProperty("error").GetProperty("status").GetString());
    }

    private async Task<string> GetAsync(string path, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gateway.Host.Address, path));
        request.Headers.Add("x-goog-api-key", _gateway.Secret);
        using var response = await Http.SendAsync(request);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }
}
