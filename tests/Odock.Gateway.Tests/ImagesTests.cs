using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Providers;
using Odock.Grains.Budgets;
using OpenAI.Images;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>POST /v1/images/generations</c> through full governance, driven by the official OpenAI SDK's <c>ImageClient</c>,
/// against the mock provider and an OpenAI-compatible server that reports gpt-image token usage.
/// </summary>
public sealed class ImagesTests : IAsyncLifetime
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 5m, OutputPerMillion = 40m, PerImage = 0.04m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayHost _host = null!;
    private FakeOperationsUpstream _upstream = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _upstream = await FakeOperationsUpstream.StartAsync();
        var mock = await _host.Seed.AddProviderAsync("offline", ProviderType.Mock, null);
        var compatible = await _host.Seed.AddProviderAsync("upstream", ProviderType.OpenAiCompatible, _upstream.BaseUrl, "sk-upstream-secret", _host.Protector.Protect);
        var vllm = await _host.Seed.AddProviderAsync("vllm", ProviderType.Vllm, _upstream.BaseUrl);
        var models = new[]
        {
            await _host.Seed.AddTypedModelAsync("draw-mock", ModelType.Image, mock, "mock-image-1", Pricing),
            await _host.Seed.AddTypedModelAsync("draw-upstream", ModelType.Image, compatible, "gpt-image-1", Pricing),
            await _host.Seed.AddTypedModelAsync("draw-vllm", ModelType.Image, vllm, "some-diffusion", Pricing),
            await _host.Seed.AddTypedModelAsync("embed-mock", ModelType.Embeddings, mock, "mock-embed-1", Pricing),
        };
        (_secret, _) = await _host.Seed.AddKeyAsync(modelGrants: models.Select(m => m.Id).ToArray());
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_sdk_gets_png_bytes_from_the_mock_and_the_call_is_charged_per_image()
    {
        var result = await _host.OpenAi(_secret).GetImageClient("draw-mock").GenerateImagesAsync("a lighthouse at dusk", 2, new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, image => Assert.Equal(PngSignature, image.ImageBytes.ToArray()[..8]));
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId));
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(requestId, row.RequestId);
        Assert.Equal("openai.images_generations", row.Endpoint);
        Assert.Equal(2, row.Tokens.Images);
        Assert.Equal(0.08m, row.Cost);
    }

    [Fact]
    public async Task The_mock_answers_a_data_url_when_the_client_asks_for_urls()
    {
        var result = await _host.OpenAi(_secret).GetImageClient("draw-mock").GenerateImageAsync("a lighthouse", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Uri });

        var url = result.Value.ImageUri.ToString();
        Assert.StartsWith("data:image/png;base64,", url, StringComparison.Ordinal);
        Assert.Equal(PngSignature, Convert.FromBase64String(url["data:image/png;base64,".Length..])[..8]);
    }

    [Fact]
    public async Task Images_and_the_gpt_image_token_usage_of_an_upstream_are_both_charged()
    {
        var result = await _host.OpenAi(_secret).GetImageClient("draw-upstream").GenerateImageAsync("a lighthouse", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes });

        Assert.Equal(PngSignature, result.Value.ImageBytes.ToArray());
        var (path, sent, headers) = Assert.Single(_upstream.Received);
        Assert.Equal("/v1/images/generations", path);
        Assert.Equal("gpt-image-1", sent["model"]!.GetValue<string>());
        Assert.Equal("Bearer sk-upstream-secret", headers.Authorization.ToString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(1, row.Tokens.Images);
        Assert.Equal(50, row.Tokens.InputTokens);
        Assert.Equal(4160, row.Tokens.OutputTokens);
        var expected = Pricing.Cost(new TokenUsage { Images = 1, InputTokens = 50, OutputTokens = 4160 }, ModelType.Image).Total;
        Assert.Equal(expected, row.Cost);
        Assert.Equal(0.04m + (50 * 5m / 1_000_000m) + (4160 * 40m / 1_000_000m), row.Cost);
    }

    [Fact]
    public async Task A_budget_that_cannot_hold_the_output_tokens_an_image_may_bill_refuses_it_before_the_provider_is_asked()
    {
        // One image costs 0.04 plus, from a GPT Image model, up to 6,240 output tokens at 40 per million (0.2496).
        await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 0.10m, "org-monthly");

        var refused = await Assert.ThrowsAsync<ClientResultException>(() =>
            _host.OpenAi(_secret).GetImageClient("draw-upstream").GenerateImageAsync("a lighthouse", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes }));

        Assert.Equal(402, refused.Status);
        Assert.Contains("budget_exceeded", refused.Message, StringComparison.Ordinal);
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task A_client_that_goes_away_is_charged_the_images_it_asked_for_and_their_output_tokens()
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 10m, "org-monthly");
        _upstream.Stall = TimeSpan.FromSeconds(30);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/images/generations"))
        {
            Content = new StringContent("""{"model":"draw-upstream","prompt":"a lighthouse","n":2}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        await _upstream.AbandonAsync(Http, request);

        // The provider finishes and bills both images, tokens included, whether anyone waits or not.
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(499, row.HttpStatus);
        Assert.Equal(2, row.Tokens.Images);
        Assert.Equal(2 * 6_240, row.Tokens.OutputTokens);
        Assert.Equal(Pricing.Cost(row.Tokens, ModelType.Image).Total, row.Cost);
        var status = await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(0m, status.Open);
        Assert.Equal(row.Cost, status.Settled);
    }

    [Fact]
    public async Task A_model_of_another_type_is_refused_with_400_naming_its_type()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.OpenAi(_secret).GetImageClient("embed-mock").GenerateImageAsync("a lighthouse"));

        Assert.Equal(400, failure.Status);
        var error = JsonNode.Parse(failure.GetRawResponse()!.Content.ToString())!["error"]!;
        Assert.Equal("wrong_model_type", error["code"]!.GetValue<string>());
        Assert.Contains("is of type 'embeddings'; this endpoint needs a model of type 'image'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_vllm_model_is_refused_with_400_naming_the_provider_type()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.OpenAi(_secret).GetImageClient("draw-vllm").GenerateImageAsync("a lighthouse"));

        Assert.Equal(400, failure.Status);
        Assert.Contains("'vllm'", JsonNode.Parse(failure.GetRawResponse()!.Content.ToString())!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Received);
    }

    [Theory]
    [InlineData("""{"model":"draw-mock"}""", "prompt")]
    [InlineData("""{"model":"draw-mock","prompt":"  "}""", "prompt")]
    [InlineData("""{"model":"draw-mock","prompt":"x","n":11}""", "n")]
    [InlineData("""{"model":"draw-mock","prompt":"x","n":"two"}""", "n")]
    public async Task Malformed_bodies_get_400_naming_the_field(string body, string param)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/images/generations")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
    }
}
