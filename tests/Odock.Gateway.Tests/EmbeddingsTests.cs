using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Providers;
using Odock.Grains.Budgets;
using OpenAI.Embeddings;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>POST /v1/embeddings</c> through full governance, driven by the official OpenAI SDK's <c>EmbeddingClient</c> (which
/// asks for base64 vectors by default) against the mock provider, an OpenAI-compatible server and a Gemini model
/// reached through translation to <c>batchEmbedContents</c>.
/// </summary>
public sealed class EmbeddingsTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 5m, EmbeddingPerMillion = 0.13m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayHost _host = null!;
    private FakeOperationsUpstream _upstream = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _upstream = await FakeOperationsUpstream.StartAsync();
        var mock = await _host.Seed.AddProviderAsync("offline", ProviderType.Mock, null);
        var compatible = await _host.Seed.AddProviderAsync("upstream", ProviderType.OpenAiCompatible, _upstream.BaseUrl, "sk-upstream-secret", _host.Protector.Protect,
            new Dictionary<string, string> { ["header.X-Tenant"] = "blue" });
        var gemini = await _host.Seed.AddProviderAsync("google", ProviderType.Gemini, _upstream.Root, "AIza-gemini-secret", _host.Protector.Protect);
        var anthropic = await _host.Seed.AddProviderAsync("claude", ProviderType.Anthropic, _upstream.Root, "sk-ant", _host.Protector.Protect);
        var models = new[]
        {
            await _host.Seed.AddTypedModelAsync("embed-mock", ModelType.Embeddings, mock, "mock-embed-1", Pricing),
            await _host.Seed.AddTypedModelAsync("embed-upstream", ModelType.Embeddings, compatible, "text-embedding-3-small", Pricing),
            await _host.Seed.AddTypedModelAsync("embed-gemini", ModelType.Embeddings, gemini, "gemini-embedding-001", Pricing),
            await _host.Seed.AddTypedModelAsync("embed-claude", ModelType.Embeddings, anthropic, "claude-embed", Pricing),
            await _host.Seed.AddTypedModelAsync("chat-mock", ModelType.Chat, mock, "mock-chat-1", Pricing),
        };
        (_secret, _) = await _host.Seed.AddKeyAsync(modelGrants: models.Select(m => m.Id).ToArray());
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task The_sdk_gets_deterministic_mock_vectors_and_the_call_is_charged_at_the_embedding_price()
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 10m, "org-monthly");
        var client = _host.OpenAi(_secret).GetEmbeddingClient("embed-mock");

        var first = await client.GenerateEmbeddingsAsync(["The quick brown fox", "jumps over the lazy dog"], new EmbeddingGenerationOptions { Dimensions = 32 });
        var again = await client.GenerateEmbeddingAsync("The quick brown fox", new EmbeddingGenerationOptions { Dimensions = 32 });

        var vectors = first.Value.Select(e => e.ToFloats().ToArray()).ToArray();
        Assert.Equal(2, vectors.Length);
        Assert.All(vectors, v => Assert.Equal(32, v.Length));
        Assert.All(vectors, v => Assert.InRange(Math.Sqrt(v.Sum(x => (double)x * x)), 0.999, 1.001));
        Assert.Equal(vectors[0], again.Value.ToFloats().ToArray());
        Assert.NotEqual(vectors[0], vectors[1]);
        Assert.True(first.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId));
        Assert.True(first.GetRawResponse().Headers.TryGetValue("x-odock-overhead-ms", out _));
        var rows = await _host.LedgerAsync(2);
        var row = Assert.Single(rows, r => r.RequestId == requestId);
        Assert.Equal("openai.embeddings", row.Endpoint);
        Assert.Equal(200, row.HttpStatus);
        Assert.Equal("mock-embed-1", row.UpstreamSlug);
        Assert.Equal(first.Value.Usage.InputTokenCount, row.Tokens.InputTokens);
        Assert.Equal(11, row.Tokens.InputTokens);
        var expected = Pricing.Cost(new TokenUsage { InputTokens = 11 }, ModelType.Embeddings).Total;
        Assert.Equal(expected, row.Cost);
        Assert.Equal(0.13m * 11 / 1_000_000m, row.Cost);
        var status = await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(rows.Sum(r => r.Cost), status.Settled);
        Assert.Equal(0m, status.Open);
    }

    [Fact]
    public async Task An_openai_compatible_server_gets_the_body_with_the_slug_key_and_custom_headers_and_its_usage_is_charged()
    {
        var result = await _host.OpenAi(_secret).GetEmbeddingClient("embed-upstream").GenerateEmbeddingAsync("hello");

        Assert.Equal(FakeOperationsUpstream.Vector, result.Value.ToFloats().ToArray());
        var (path, sent, headers) = Assert.Single(_upstream.Received);
        Assert.Equal("/v1/embeddings", path);
        Assert.Equal("text-embedding-3-small", sent["model"]!.GetValue<string>());
        Assert.Equal("base64", sent["encoding_format"]!.GetValue<string>());
        Assert.Equal("Bearer sk-upstream-secret", headers.Authorization.ToString());
        Assert.Equal("blue", headers["X-Tenant"].ToString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(7, row.Tokens.InputTokens);
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = 7 }, ModelType.Embeddings).Total, row.Cost);
        Assert.Contains("\"prompt_tokens\":7", row.ProviderUsageJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gemini_model_is_reached_through_batch_embed_contents_and_charged_an_estimate_marked_as_such()
    {
        var result = await _host.OpenAi(_secret).GetEmbeddingClient("embed-gemini").GenerateEmbeddingsAsync(["first text", "second, longer text"], new EmbeddingGenerationOptions { Dimensions = 4 });

        Assert.Equal(2, result.Value.Count);
        Assert.All(result.Value, e => Assert.Equal(FakeOperationsUpstream.Vector, e.ToFloats().ToArray()));
        var (path, sent, headers) = Assert.Single(_upstream.Received);
        Assert.Equal("/v1beta/models/gemini-embedding-001:batchEmbedContents", path);
        Assert.Equal("AIza-gemini-secret", headers["x-goog-api-key"].ToString());
        var requests = sent["requests"]!.AsArray();
        Assert.Equal(["first text", "second, longer text"], requests.Select(r => r!["content"]!["parts"]![0]!["text"]!.GetValue<string>()));
        Assert.All(requests, r => Assert.Equal("models/gemini-embedding-001", r!["model"]!.GetValue<string>()));
        Assert.All(requests, r => Assert.Equal(4, r!["outputDimensionality"]!.GetValue<int>()));
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("gemini-embedding-001", row.UpstreamSlug);
        Assert.Equal(result.Value.Usage.InputTokenCount, row.Tokens.InputTokens);
        Assert.Equal(3 + 5, row.Tokens.InputTokens);
        Assert.True(JsonNode.Parse(row.ProviderUsageJson!)!["estimated"]!.GetValue<bool>());
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = 8 }, ModelType.Embeddings).Total, row.Cost);
    }

    [Fact]
    public async Task A_chat_model_is_refused_with_400_naming_its_type_in_openais_shape()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.OpenAi(_secret).GetEmbeddingClient("chat-mock").GenerateEmbeddingAsync("hello"));

        Assert.Equal(400, failure.Status);
        var error = JsonNode.Parse(failure.GetRawResponse()!.Content.ToString())!["error"]!;
        Assert.Equal("wrong_model_type", error["code"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Contains("is of type 'chat'; this endpoint needs a model of type 'embeddings'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(400, row.HttpStatus);
        Assert.Equal("wrong_model_type", row.ErrorCode);
        Assert.Equal(0m, row.Cost);
    }

    [Fact]
    public async Task A_provider_type_without_embeddings_is_refused_with_400_naming_the_type()
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.OpenAi(_secret).GetEmbeddingClient("embed-claude").GenerateEmbeddingAsync("hello"));

        Assert.Equal(400, failure.Status);
        var error = JsonNode.Parse(failure.GetRawResponse()!.Content.ToString())!["error"]!;
        Assert.Equal("unsupported_provider_type", error["code"]!.GetValue<string>());
        Assert.Contains("'anthropic'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task Token_id_inputs_and_json_vectors_reach_the_mock_and_the_tokens_are_counted_exactly()
    {
        using var response = await Http.SendAsync(Post("""{"model":"embed-mock","input":[[1,2,3],[4,5]],"encoding_format":"float","dimensions":8}"""));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, answer["data"]!.AsArray().Count);
        Assert.Equal(8, answer["data"]![0]!["embedding"]!.AsArray().Count);
        Assert.Equal(5, answer["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(5, Assert.Single(await _host.LedgerAsync(1)).Tokens.InputTokens);
    }

    [Fact]
    public async Task Provider_refusals_pass_through_in_openais_shape_and_are_recorded()
    {
        _upstream.FailWith = 400;

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.OpenAi(_secret).GetEmbeddingClient("embed-upstream").GenerateEmbeddingAsync("hello"));

        Assert.Equal(400, failure.Status);
        Assert.Contains("upstream says no", failure.Message, StringComparison.Ordinal);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("upstream_client_error", row.ErrorCode);
        Assert.Equal(0m, row.Cost);
    }

    [Fact]
    public async Task Token_ids_for_a_gemini_model_are_refused_since_gemini_embeds_text()
    {
        using var response = await Http.SendAsync(Post("""{"model":"embed-gemini","input":[1,2,3]}"""));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("input", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task A_client_that_goes_away_is_recorded_with_499_and_its_reservation_is_settled()
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 10m, "org-monthly");
        _upstream.Stall = TimeSpan.FromSeconds(30);
        using var request = Post("""{"model":"embed-upstream","input":"a text of some length"}""");
        await _upstream.AbandonAsync(Http, request);

        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(499, row.HttpStatus);
        Assert.Equal("client_disconnected", row.ErrorCode);
        Assert.True(row.ClientDisconnected);
        Assert.Equal(6, row.Tokens.InputTokens);
        var status = await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(0m, status.Open);
        Assert.Equal(row.Cost, status.Settled);
    }

    [Theory]
    [InlineData("{oops", null)]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":"embed-mock"}""", "input")]
    [InlineData("""{"model":"embed-mock","input":[]}""", "input")]
    [InlineData("""{"model":"embed-mock","input":["a",1]}""", "input")]
    [InlineData("""{"model":"embed-mock","input":"hi","encoding_format":"int8"}""", "encoding_format")]
    [InlineData("""{"model":"embed-mock","input":"hi","dimensions":0}""", "dimensions")]
    public async Task Malformed_bodies_get_400_in_openais_shape_naming_the_field(string body, string? param)
    {
        using var response = await Http.SendAsync(Post(body));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Equal(400, Assert.Single(await _host.LedgerAsync(1)).HttpStatus);
    }

    private HttpRequestMessage Post(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/embeddings"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        return request;
    }
}
