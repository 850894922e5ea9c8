using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using Odock.Domain.Models;
using Odock.Domain.Providers;
using OpenAI.Chat;
using OpenAI.Images;

namespace Odock.Gateway.Tests;

/// <summary>
/// The Azure OpenAI adapter: chat (from OpenAI, Anthropic and Gemini clients), embeddings and images reach
/// <c>/openai/deployments/{deployment}/…?api-version=…</c> with the key in <c>api-key</c>, as a fake Azure endpoint sees them.
/// </summary>
public sealed class AzureOpenAiTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2.5m, OutputPerMillion = 10m, PerImage = 0.04m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayHost _host = null!;
    private FakeOperationsUpstream _azure = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _azure = await FakeOperationsUpstream.StartAsync();
        var azure = await _host.Seed.AddProviderAsync("azure-east", ProviderType.AzureOpenAi, _azure.Root, "azure-key-123", _host.Protector.Protect,
            new Dictionary<string, string> { ["api_version"] = "2025-04-01-preview", ["header.X-Ms-Client-Tag"] = "odock" });
        var defaulted = await _host.Seed.AddProviderAsync("azure-west", ProviderType.AzureOpenAi, _azure.Root + "/", "azure-key-456", _host.Protector.Protect);
        var older = await _host.Seed.AddProviderAsync("azure-old", ProviderType.AzureOpenAi, _azure.Root, "azure-key-789", _host.Protector.Protect,
            new Dictionary<string, string> { ["api_version"] = "2024-06-01" });
        var models = new[]
        {
            await _host.Seed.AddTypedModelAsync("azure-chat", ModelType.Chat, azure, "gpt4o-prod", Pricing),
            await _host.Seed.AddTypedModelAsync("azure-embed", ModelType.Embeddings, azure, "embed-prod", Pricing),
            await _host.Seed.AddTypedModelAsync("azure-draw", ModelType.Image, azure, "dalle-prod", Pricing),
            await _host.Seed.AddTypedModelAsync("azure-default", ModelType.Chat, defaulted, "gpt4o-west", Pricing),
            await _host.Seed.AddTypedModelAsync("azure-older", ModelType.Chat, older, "gpt4o-old", Pricing),
        };
        (_secret, _) = await _host.Seed.AddKeyAsync(modelGrants: models.Select(m => m.Id).ToArray());
    }

    public async Task DisposeAsync()
    {
        await _azure.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Chat_goes_to_the_deployment_with_the_api_version_and_the_api_key_header()
    {
        var result = await _host.Chat("azure-chat", _secret).CompleteChatAsync([new UserChatMessage("Hello")]);

        Assert.Equal("Hello from Azure", result.Value.Content[0].Text);
        var (path, sent, headers) = Assert.Single(_azure.Received);
        Assert.Equal("/openai/deployments/gpt4o-prod/chat/completions?api-version=2025-04-01-preview", path);
        Assert.Equal("azure-key-123", headers["api-key"].ToString());
        Assert.False(headers.ContainsKey("Authorization"));
        Assert.Equal("odock", headers["X-Ms-Client-Tag"].ToString());
        Assert.Null(sent["model"]);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(13, row.Tokens.InputTokens);
        Assert.Equal(4, row.Tokens.OutputTokens);
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = 13, OutputTokens = 4 }).Total, row.Cost);
    }

    [Fact]
    public async Task A_request_without_an_output_limit_is_sent_the_reserved_one_in_the_field_its_api_version_knows()
    {
        await _host.Chat("azure-chat", _secret).CompleteChatAsync([new UserChatMessage("Hello")]);
        await _host.Chat("azure-older", _secret).CompleteChatAsync([new UserChatMessage("Hello")]);

        var sent = _azure.Received.Select(r => r.Body).ToArray();
        Assert.Equal(4096, sent[0]["max_completion_tokens"]!.GetValue<long>());
        Assert.Null(sent[0]["max_tokens"]);
        Assert.Equal(4096, sent[1]["max_tokens"]!.GetValue<long>());
        Assert.Null(sent[1]["max_completion_tokens"]);
    }

    [Fact]
    public async Task A_provider_without_an_api_version_uses_the_documented_default()
    {
        await _host.Chat("azure-default", _secret).CompleteChatAsync([new UserChatMessage("Hello")]);

        var (path, _, headers) = Assert.Single(_azure.Received);
        Assert.Equal($"/openai/deployments/gpt4o-west/chat/completions?api-version={AzureOpenAiSettings.DefaultApiVersion}", path);
        Assert.Equal("azure-key-456", headers["api-key"].ToString());
    }

    [Fact]
    public async Task An_anthropic_client_streams_from_an_azure_deployment_through_translation()
    {
        var text = new StringBuilder();
        await foreach (var streamEvent in _host.Anthropic(_secret).Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "azure-chat", MaxTokens = 100, Messages = [new() { Role = Role.User, Content = "Hello" }],
        }))
        {
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.Json.TryGetProperty("text", out var piece))
            {
                text.Append(piece.GetString());
            }
        }

        Assert.Equal("Hello from Azure", text.ToString());
        var (path, sent, _) = Assert.Single(_azure.Received);
        Assert.StartsWith("/openai/deployments/gpt4o-prod/chat/completions?", path, StringComparison.Ordinal);
        Assert.True(sent["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(4, Assert.Single(await _host.LedgerAsync(1)).Tokens.OutputTokens);
    }

    [Fact]
    public async Task A_gemini_client_reaches_an_azure_deployment_through_translation()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1beta/models/azure-chat:generateContent"))
        {
            Content = new StringContent("""{"contents":[{"role":"user","parts":[{"text":"Hello"}]}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", _secret);
        using var response = await Http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello from Azure", answer["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.StartsWith("/openai/deployments/gpt4o-prod/chat/completions?api-version=", Assert.Single(_azure.Received).PathAndQuery, StringComparison.Ordinal);
        Assert.Equal("gemini.generate_content", Assert.Single(await _host.LedgerAsync(1)).Endpoint);
    }

    [Fact]
    public async Task Embeddings_and_images_go_to_their_deployment_paths()
    {
        var embedding = await _host.OpenAi(_secret).GetEmbeddingClient("azure-embed").GenerateEmbeddingAsync("hello");
        var image = await _host.OpenAi(_secret).GetImageClient("azure-draw").GenerateImageAsync("a lighthouse", new ImageGenerationOptions { ResponseFormat = GeneratedImageFormat.Bytes });

        Assert.Equal(FakeOperationsUpstream.Vector, embedding.Value.ToFloats().ToArray());
        Assert.Equal(8, image.Value.ImageBytes.ToArray().Length);
        var paths = _azure.Received.Select(r => r.PathAndQuery).ToArray();
        Assert.Equal(
            ["/openai/deployments/embed-prod/embeddings?api-version=2025-04-01-preview", "/openai/deployments/dalle-prod/images/generations?api-version=2025-04-01-preview"],
            paths);
        Assert.All(_azure.Received, r => Assert.Equal("azure-key-123", r.Headers["api-key"].ToString()));
        var rows = await _host.LedgerAsync(2);
        Assert.Contains(rows, r => r.Endpoint == "openai.embeddings" && r.Tokens.InputTokens == 7);
        Assert.Contains(rows, r => r.Endpoint == "openai.images_generations" && r.Tokens.Images == 1);
    }

    [Theory]
    [InlineData("2024-10-21", true)]
    [InlineData("2025-04-01-preview", true)]
    [InlineData("latest", false)]
    [InlineData("2024-10-21-beta", false)]
    public void The_api_version_setting_is_checked_when_the_provider_is_saved(string version, bool valid)
    {
        var provider = new Provider
        {
            Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Name = "azure", Type = ProviderType.AzureOpenAi, BaseUrl = "https://example.openai.azure.com",
            Settings = new Dictionary<string, string> { ["api_version"] = version }, CreatedAt = DateTimeOffset.UnixEpoch,
        };

        var problems = provider.Validate();

        Assert.Equal(valid, !problems.Any(p => p.Field == "settings.api_version"));
    }
}
