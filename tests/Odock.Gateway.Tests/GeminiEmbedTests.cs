using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Domain.Providers;

namespace Odock.Gateway.Tests;

/// <summary>
/// Gemini's <c>:embedContent</c> and <c>:batchEmbedContents</c> over raw HTTP as Google's SDKs send them: natively to a
/// Gemini model, and translated to OpenAI embeddings for an OpenAI-compatible server and the mock.
/// </summary>
public sealed class GeminiEmbedTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 0.15m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayHost _host = null!;
    private FakeOperationsUpstream _upstream = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _upstream = await FakeOperationsUpstream.StartAsync();
        var gemini = await _host.Seed.AddProviderAsync("google", ProviderType.Gemini, _upstream.Root, "AIza-gemini-secret", _host.Protector.Protect);
        var compatible = await _host.Seed.AddProviderAsync("upstream", ProviderType.OpenAiCompatible, _upstream.BaseUrl, "sk-upstream-secret", _host.Protector.Protect);
        var mock = await _host.Seed.AddProviderAsync("offline", ProviderType.Mock, null);
        var models = new[]
        {
            await _host.Seed.AddTypedModelAsync("gemini-embed", ModelType.Embeddings, gemini, "gemini-embedding-001", Pricing),
            await _host.Seed.AddTypedModelAsync("openai-embed", ModelType.Embeddings, compatible, "text-embedding-3-large", Pricing),
            await _host.Seed.AddTypedModelAsync("mock-embed", ModelType.Embeddings, mock, "mock-embed-1", Pricing),
            await _host.Seed.AddTypedModelAsync("gemini-chat", ModelType.Chat, gemini, "gemini-2.5-flash", Pricing),
        };
        (_secret, _) = await _host.Seed.AddKeyAsync(modelGrants: models.Select(m => m.Id).ToArray());
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Embed_content_reaches_a_gemini_model_as_sent_and_is_charged_an_estimate_marked_as_such()
    {
        const string body = """{"content":{"parts":[{"text":"What is the meaning of life?"}]},"taskType":"RETRIEVAL_QUERY","outputDimensionality":4}""";

        using var response = await Http.SendAsync(Post("gemini-embed:embedContent", body));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeOperationsUpstream.Vector, answer["embedding"]!["values"]!.AsArray().Select(v => v!.GetValue<float>()));
        var (path, sent, headers) = Assert.Single(_upstream.Received);
        Assert.Equal("/v1beta/models/gemini-embedding-001:embedContent", path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), sent), "the body goes upstream as the client sent it");
        Assert.Equal("AIza-gemini-secret", headers["x-goog-api-key"].ToString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("gemini.embed_content", row.Endpoint);
        Assert.Equal(7, row.Tokens.InputTokens);
        Assert.True(JsonNode.Parse(row.ProviderUsageJson!)!["estimated"]!.GetValue<bool>());
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = 7 }, ModelType.Embeddings).Total, row.Cost);
    }

    [Fact]
    public async Task Batch_embed_contents_to_a_gemini_model_names_the_upstream_model_in_every_request()
    {
        // Each request may name the URL's model with or without "models/", or not at all.
        const string body = """{"requests":[{"model":"models/gemini-embed","content":{"parts":[{"text":"one"}]}},{"model":"gemini-embed","content":{"parts":[{"text":"two"}]}},{"content":{"parts":[{"text":"three"}]}}]}""";

        using var response = await Http.SendAsync(Post("gemini-embed:batchEmbedContents", body));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(3, answer["embeddings"]!.AsArray().Count);
        var (path, sent, _) = Assert.Single(_upstream.Received);
        Assert.Equal("/v1beta/models/gemini-embedding-001:batchEmbedContents", path);
        Assert.All(sent["requests"]!.AsArray(), r => Assert.Equal("models/gemini-embedding-001", r!["model"]!.GetValue<string>()));
        Assert.Equal("gemini.batch_embed_contents", Assert.Single(await _host.LedgerAsync(1)).Endpoint);
    }

    [Fact]
    public async Task Batch_embed_contents_to_an_openai_model_is_translated_both_ways_and_charged_from_its_usage()
    {
        const string body = """{"requests":[{"model":"models/openai-embed","content":{"parts":[{"text":"alpha"},{"text":"beta"}]},"outputDimensionality":4},{"model":"models/openai-embed","content":{"parts":[{"text":"gamma"}]},"outputDimensionality":4}]}""";

        using var response = await Http.SendAsync(Post("openai-embed:batchEmbedContents", body));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var embeddings = answer["embeddings"]!.AsArray();
        Assert.Equal(2, embeddings.Count);
        Assert.All(embeddings, e => Assert.Equal(FakeOperationsUpstream.Vector, e!["values"]!.AsArray().Select(v => v!.GetValue<float>())));
        var (path, sent, headers) = Assert.Single(_upstream.Received);
        Assert.Equal("/v1/embeddings", path);
        Assert.Equal("text-embedding-3-large", sent["model"]!.GetValue<string>());
        Assert.Equal(["alpha\nbeta", "gamma"], sent["input"]!.AsArray().Select(i => i!.GetValue<string>()));
        Assert.Equal("float", sent["encoding_format"]!.GetValue<string>());
        Assert.Equal(4, sent["dimensions"]!.GetValue<int>());
        Assert.Equal("Bearer sk-upstream-secret", headers.Authorization.ToString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(7, row.Tokens.InputTokens);
        Assert.DoesNotContain("estimated", row.ProviderUsageJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_content_on_the_mock_answers_gemini_values_of_the_asked_size()
    {
        using var response = await Http.SendAsync(Post("mock-embed:embedContent", """{"content":{"parts":[{"text":"hello"}]},"outputDimensionality":16}"""));

        Assert.Equal(16, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["embedding"]!["values"]!.AsArray().Count);
    }

    [Fact]
    public async Task Provider_refusals_reach_gemini_clients_in_googles_shape()
    {
        _upstream.FailWith = 400;

        using var native = await Http.SendAsync(Post("gemini-embed:embedContent", """{"content":{"parts":[{"text":"x"}]}}"""));
        using var translated = await Http.SendAsync(Post("openai-embed:embedContent", """{"content":{"parts":[{"text":"x"}]}}"""));

        Assert.Equal(HttpStatusCode.BadRequest, native.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", JsonNode.Parse(await native.Content.ReadAsStringAsync())!["error"]!["status"]!.GetValue<string>());
        var error = JsonNode.Parse(await translated.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(HttpStatusCode.BadRequest, translated.StatusCode);
        Assert.Equal("INVALID_ARGUMENT", error["status"]!.GetValue<string>());
        Assert.Equal("upstream says no", error["message"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("gemini-embed:embedContent", """{"content":{"parts":[{"inlineData":{}}]}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("gemini-embed:batchEmbedContents", """{"requests":[]}""", 400, "INVALID_ARGUMENT")]
    [InlineData("gemini-embed:batchEmbedContents", """{"requests":[{"content":{"parts":[{"text":"a"}]},"outputDimensionality":4},{"content":{"parts":[{"text":"b"}]},"outputDimensionality":8}]}""", 400, "INVALID_ARGUMENT")]
    [InlineData("gemini-chat:embedContent", """{"content":{"parts":[{"text":"a"}]}}""", 400, "INVALID_ARGUMENT")]
    [InlineData("no-such-model:embedContent", """{"content":{"parts":[{"text":"a"}]}}""", 404, "NOT_FOUND")]
    [InlineData("gemini-embed:batchEmbedContents", """{"requests":[{"model":"models/gemini-embed","content":{"parts":[{"text":"a"}]}},{"model":"models/other-embed","content":{"parts":[{"text":"b"}]}}]}""", 400, "INVALID_ARGUMENT")]
    public async Task Bad_requests_get_googles_error_shape(string modelAndMethod, string body, int status, string googleStatus)
    {
        using var response = await Http.SendAsync(Post(modelAndMethod, body));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(googleStatus, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["status"]!.GetValue<string>());
        Assert.Empty(_upstream.Received);
    }

    private HttpRequestMessage Post(string modelAndMethod, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1beta/models/" + modelAndMethod)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", _secret);
        return request;
    }
}
