using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Odock.Domain.Models;
using Odock.Domain.Providers;

namespace Odock.Gateway.Tests;

/// <summary>
/// vLLM's endpoints through governance over raw HTTP (the official SDKs have no client for them): legacy completions
/// streamed or not, rerank, tokenize and detokenize, against a fake vLLM server and the mock provider.
/// </summary>
public sealed class VllmTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 3m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayHost _host = null!;
    private FakeOperationsUpstream _vllm = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _vllm = await FakeOperationsUpstream.StartAsync();
        var vllm = await _host.Seed.AddProviderAsync("vllm", ProviderType.Vllm, _vllm.BaseUrl, "vllm-token", _host.Protector.Protect);
        var mock = await _host.Seed.AddProviderAsync("offline", ProviderType.Mock, null);
        var openAi = await _host.Seed.AddProviderAsync("openai", ProviderType.OpenAi, _vllm.BaseUrl, "sk-openai", _host.Protector.Protect);
        var models = new[]
        {
            await _host.Seed.AddTypedModelAsync("llama", ModelType.Chat, vllm, "meta-llama/Llama-3.1-8B", Pricing),
            await _host.Seed.AddTypedModelAsync("reranker", ModelType.Chat, vllm, "BAAI/bge-reranker-v2-m3", Pricing),
            await _host.Seed.AddTypedModelAsync("mock-llm", ModelType.Chat, mock, "mock-llm-1", Pricing),
            await _host.Seed.AddTypedModelAsync("gpt", ModelType.Chat, openAi, "gpt-4.1", Pricing),
        };
        (_secret, _) = await _host.Seed.AddKeyAsync(modelGrants: models.Select(m => m.Id).ToArray());
    }

    public async Task DisposeAsync()
    {
        await _vllm.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task A_completion_is_forwarded_with_the_slug_and_charged_from_the_providers_usage()
    {
        using var response = await Http.SendAsync(Post("/v1/completions", """{"model":"llama","prompt":"The capital of France","max_tokens":20}"""));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Paris is nice", answer["choices"]![0]!["text"]!.GetValue<string>());
        Assert.True(response.Headers.Contains("x-odock-overhead-ms"));
        var (path, sent, headers) = Assert.Single(_vllm.Received);
        Assert.Equal("/v1/completions", path);
        Assert.Equal("meta-llama/Llama-3.1-8B", sent["model"]!.GetValue<string>());
        Assert.Equal("Bearer vllm-token", headers.Authorization.ToString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("openai.completions", row.Endpoint);
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), row.RequestId);
        Assert.Equal(11, row.Tokens.InputTokens);
        Assert.Equal(3, row.Tokens.OutputTokens);
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = 11, OutputTokens = 3 }).Total, row.Cost);
    }

    [Fact]
    public async Task A_streamed_completion_asks_for_usage_and_withholds_it_from_a_client_that_did_not()
    {
        using var response = await Http.SendAsync(Post("/v1/completions", """{"model":"llama","prompt":"The capital of France","stream":true}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Paris is nice", string.Concat(Events(body).Select(e => e["choices"]![0]!["text"]!.GetValue<string>())));
        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.True(Assert.Single(_vllm.Received).Body["stream_options"]!["include_usage"]!.GetValue<bool>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.True(row.Streamed);
        Assert.Equal(3, row.Tokens.OutputTokens);
    }

    [Fact]
    public async Task A_streaming_client_that_asks_for_usage_sees_it()
    {
        using var response = await Http.SendAsync(Post("/v1/completions", """{"model":"llama","prompt":"Hi","stream":true,"stream_options":{"include_usage":true}}"""));
        var events = Events(await response.Content.ReadAsStringAsync());

        Assert.Equal(14, events.Last()["usage"]!["total_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task The_mock_answers_completions_streamed_and_not()
    {
        using var plain = await Http.SendAsync(Post("/v1/completions", """{"model":"mock-llm","prompt":"Hello","max_tokens":50}"""));
        using var streamed = await Http.SendAsync(Post("/v1/completions", """{"model":"mock-llm","prompt":"Hello","max_tokens":50,"stream":true}"""));
        var answer = JsonNode.Parse(await plain.Content.ReadAsStringAsync())!;
        var events = Events(await streamed.Content.ReadAsStringAsync());

        Assert.Equal("text_completion", answer["object"]!.GetValue<string>());
        var text = answer["choices"]![0]!["text"]!.GetValue<string>();
        Assert.Contains("mock-llm-1", text, StringComparison.Ordinal);
        Assert.Equal(text, string.Concat(events.Select(e => e["choices"]![0]!["text"]!.GetValue<string>())));
        var rows = await _host.LedgerAsync(2);
        Assert.All(rows, r => Assert.Equal(text.Split(' ').Length, r.Tokens.OutputTokens));
    }

    [Fact]
    public async Task Rerank_is_charged_from_vllms_total_tokens()
    {
        using var response = await Http.SendAsync(Post("/v1/rerank", """{"model":"reranker","query":"capital of France","documents":["Berlin is in Germany","Paris is the capital of France"],"top_n":2}"""));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, answer["results"]![0]!["index"]!.GetValue<int>());
        var (path, sent, _) = Assert.Single(_vllm.Received);
        Assert.Equal("/v1/rerank", path);
        Assert.Equal("BAAI/bge-reranker-v2-m3", sent["model"]!.GetValue<string>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("vllm.rerank", row.Endpoint);
        Assert.Equal(42, row.Tokens.InputTokens);
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = 42 }).Total, row.Cost);
    }

    [Fact]
    public async Task Tokenize_and_detokenize_go_to_the_server_root_and_are_recorded_at_no_cost()
    {
        using var tokenized = await Http.SendAsync(Post("/tokenize", """{"model":"llama","prompt":"hello world"}"""));
        using var detokenized = await Http.SendAsync(Post("/detokenize", """{"model":"llama","tokens":[101,102,103]}"""));

        Assert.Equal(3, JsonNode.Parse(await tokenized.Content.ReadAsStringAsync())!["count"]!.GetValue<int>());
        Assert.Equal("hello world", JsonNode.Parse(await detokenized.Content.ReadAsStringAsync())!["prompt"]!.GetValue<string>());
        Assert.Equal(["/tokenize", "/detokenize"], _vllm.Received.Select(r => r.PathAndQuery));
        var rows = await _host.LedgerAsync(2);
        Assert.Equal(["vllm.detokenize", "vllm.tokenize"], rows.Select(r => r.Endpoint).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal((200, 0m, 0L), (r.HttpStatus, r.Cost, r.Tokens.TotalTokens)));
        Assert.All(rows, r => Assert.Equal("llama", r.ModelName));
    }

    [Fact]
    public async Task A_tokenize_whose_client_goes_away_is_recorded_as_a_disconnect_at_no_cost()
    {
        _vllm.Stall = TimeSpan.FromSeconds(30);
        using var request = Post("/tokenize", """{"model":"llama","prompt":"hello world"}""");
        await _vllm.AbandonAsync(Http, request);

        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal((499, "client_disconnected", 0m), (row.HttpStatus, row.ErrorCode, row.Cost));
        Assert.True(row.ClientDisconnected);
    }

    [Fact]
    public async Task The_mock_tokenizes_and_detokenizes_back_to_the_same_text_and_reranks_by_matching_words()
    {
        using var tokenized = await Http.SendAsync(Post("/tokenize", """{"model":"mock-llm","prompt":"Grüße aus Paris"}"""));
        var tokens = JsonNode.Parse(await tokenized.Content.ReadAsStringAsync())!["tokens"]!.ToJsonString();
        using var detokenized = await Http.SendAsync(Post("/detokenize", $$"""{"model":"mock-llm","tokens":{{tokens}}}"""));
        using var reranked = await Http.SendAsync(Post("/v1/rerank", """{"model":"mock-llm","query":"capital France","documents":["Berlin","Paris, capital of France"]}"""));

        Assert.Equal("Grüße aus Paris", JsonNode.Parse(await detokenized.Content.ReadAsStringAsync())!["prompt"]!.GetValue<string>());
        Assert.Equal(1, JsonNode.Parse(await reranked.Content.ReadAsStringAsync())!["results"]![0]!["index"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_mock_told_to_fail_fails_its_operations_too_and_nothing_is_charged()
    {
        var failing = await _host.Seed.AddProviderAsync("failing", ProviderType.Mock, null, settings: new Dictionary<string, string> { ["fail_status"] = "503" });
        var model = await _host.Seed.AddTypedModelAsync("failing-llm", ModelType.Chat, failing, "mock-failing", Pricing);
        var (secret, _) = await _host.Seed.AddKeyAsync(name: "failing-key", modelGrants: [model.Id]);

        using var request = Post("/v1/rerank", """{"model":"failing-llm","query":"q","documents":["d"]}""");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(("upstream_error", 0m), (row.ErrorCode, row.Cost));
    }

    [Theory]
    [InlineData("/v1/completions", """{"model":"gpt","prompt":"hi"}""")]
    [InlineData("/v1/rerank", """{"model":"gpt","query":"q","documents":["d"]}""")]
    [InlineData("/tokenize", """{"model":"gpt","prompt":"hi"}""")]
    public async Task Other_provider_types_are_refused_with_400_naming_the_type(string path, string body)
    {
        using var response = await Http.SendAsync(Post(path, body));
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("unsupported_provider_type", error["code"]!.GetValue<string>());
        Assert.Contains("'openai'", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_vllm.Received);
    }

    [Theory]
    [InlineData("/v1/completions", """{"model":"llama"}""", "prompt")]
    [InlineData("/v1/completions", """{"model":"llama","prompt":"hi","max_tokens":0}""", "max_tokens")]
    [InlineData("/v1/rerank", """{"model":"reranker","query":"q"}""", "documents")]
    [InlineData("/v1/rerank", """{"model":"reranker","documents":["d"]}""", "query")]
    [InlineData("/tokenize", """{"model":"llama"}""", "prompt")]
    [InlineData("/detokenize", """{"model":"llama","tokens":["a"]}""", "tokens")]
    public async Task Malformed_bodies_get_400_naming_the_field(string path, string body, string param)
    {
        using var response = await Http.SendAsync(Post(path, body));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(param, JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["param"]!.GetValue<string>());
        Assert.Empty(_vllm.Received);
    }

    private static JsonNode[] Events(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Where(e => e.StartsWith("data: {", StringComparison.Ordinal)).Select(e => JsonNode.Parse(e["data: ".Length..])!).ToArray();

    private HttpRequestMessage Post(string path, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        return request;
    }
}
