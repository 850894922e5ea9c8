using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Periods;
using Odock.Grains.Budgets;

namespace Odock.Gateway.Tests;

/// <summary>
/// The providers' own tools (Anthropic's web search, OpenAI's built-in tools, Gemini's Google Search) are billed per
/// call on top of tokens. The gateway charges those calls at the model's <c>hosted_tool_prices</c>, reserves the most
/// calls a request lets the provider make, and sends the provider a bound where the request names none, so the charge
/// cannot pass the reservation.
/// </summary>
public sealed class HostedToolTests : IAsyncLifetime
{
    private const decimal SearchPrice = 0.01m;
    private const decimal GooglePrice = 0.014m;

    private static readonly ModelPricing Pricing = new()
    {
        Currency = "USD", InputPerMillion = 3m, OutputPerMillion = 15m,
        HostedToolPrices = new Dictionary<string, decimal> { ["web_search"] = SearchPrice, ["google_search"] = GooglePrice },
    };

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, OpenAiCompatible: "gpt-search", Anthropic: "claude-search", Gemini: "gemini-search"));
        _host = _gateway.Host;
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Anthropic_web_searches_are_charged_per_search_and_bounded_by_the_default_when_the_client_names_no_max_uses(bool stream)
    {
        _gateway.Anthropic.WebSearches = 3;

        using var response = await PostAsync("/v1/messages", Message("claude-search", stream, new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search" }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        var (sent, _) = Assert.Single(_gateway.Anthropic.Received);
        Assert.Equal(new GatewayOptions().DefaultMaxHostedToolCalls, sent["tools"]![0]!["max_uses"]!.GetValue<long>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(3, row.Tokens.HostedToolCalls!.Total);
        Assert.Equal(Pricing.Cost(row.Tokens with { HostedToolCalls = null }).Total + (3 * SearchPrice), row.Cost);
    }

    [Theory]
    [InlineData("/v1/messages")]
    [InlineData("/v1/responses")]
    public async Task A_client_that_leaves_mid_stream_is_charged_the_searches_the_stream_had_shown(string path)
    {
        _gateway.Anthropic.WebSearches = 2;
        _gateway.Anthropic.StallMidStream = TimeSpan.FromSeconds(30);
        _gateway.OpenAi.WebSearchCalls = 2;
        _gateway.OpenAi.StallMidStream = TimeSpan.FromSeconds(30);
        var body = path == "/v1/messages"
            ? Message("claude-search", true, new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search" })
            : new JsonObject { ["model"] = "gpt-search", ["input"] = "What happened today?", ["stream"] = true, ["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search" }) };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _gateway.Secret);

        using (var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            while (await reader.ReadLineAsync() is { } line && !line.Contains("delta", StringComparison.Ordinal))
            {
            }
        }

        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(("client_disconnected", 2L), (row.ErrorCode, row.Tokens.HostedToolCalls!.Total));
        Assert.Equal(Pricing.Cost(row.Tokens with { HostedToolCalls = null }).Total + (2 * SearchPrice), row.Cost);
    }

    [Fact]
    public async Task A_bound_the_client_names_is_kept_and_a_tool_the_model_does_not_price_gets_none()
    {
        var tools = new JsonArray(
            new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search", ["max_uses"] = 2 },
            new JsonObject { ["type"] = "web_fetch_20250910", ["name"] = "web_fetch" });

        using var response = await PostAsync("/v1/messages", Message("claude-search", false, tools));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (sent, _) = Assert.Single(_gateway.Anthropic.Received);
        Assert.Equal(2, sent["tools"]![0]!["max_uses"]!.GetValue<long>());
        Assert.Null(sent["tools"]![1]!["max_uses"]);
    }

    [Fact]
    public async Task The_reservation_counts_every_search_the_request_allows_so_a_budget_that_cannot_pay_for_them_refuses_first()
    {
        // 10 searches (the default bound) cost 0.10 and do not fit in 0.05; one search does, with the tokens.
        var (secret, key) = await _host.Seed.AddKeyAsync(name: "searcher", modelGrants: [_gateway.Models["claude-search"].Id]);
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.ApiKey, key.Id, 0.05m, "searches", PeriodKind.Lifetime);
        _gateway.Anthropic.WebSearches = 1;

        using var unbounded = await PostAsync("/v1/messages", Message("claude-search", false, new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search" }), secret);
        Assert.Equal((HttpStatusCode)402, unbounded.StatusCode);
        Assert.Empty(_gateway.Anthropic.Received);

        using var bounded = await PostAsync("/v1/messages", Message("claude-search", false, new JsonObject { ["type"] = "web_search_20250305", ["name"] = "web_search", ["max_uses"] = 1 }), secret);
        Assert.Equal(HttpStatusCode.OK, bounded.StatusCode);
        var row = Assert.Single(await _host.LedgerAsync(2), r => r.HttpStatus == 200);
        Assert.Equal(1, row.Tokens.HostedToolCalls!.Total);
        Assert.Equal(row.Cost, (await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status()).Settled);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Responses_web_search_calls_are_charged_per_call_with_one_bound_for_all_of_openais_tools(bool stream)
    {
        _gateway.OpenAi.WebSearchCalls = 2;
        var body = new JsonObject
        {
            ["model"] = "gpt-search", ["input"] = "What happened today?", ["stream"] = stream,
            ["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search" }, new JsonObject { ["type"] = "file_search", ["vector_store_ids"] = new JsonArray("vs_1") }),
        };

        using var response = await PostAsync("/v1/responses", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        var (_, sent, _) = Assert.Single(_gateway.OpenAi.ResponsesReceived);
        Assert.Equal(new GatewayOptions().DefaultMaxHostedToolCalls, sent["max_tool_calls"]!.GetValue<long>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(2, row.Tokens.HostedToolCalls!.Total);
        Assert.Equal(Pricing.Cost(row.Tokens with { HostedToolCalls = null }).Total + (2 * SearchPrice), row.Cost);
    }

    [Fact]
    public async Task A_function_call_in_a_responses_answer_is_the_clients_to_run_and_costs_nothing_more()
    {
        _gateway.OpenAi.WebSearchCalls = 1;
        _gateway.OpenAi.CallTool = "lookup";
        var body = new JsonObject
        {
            ["model"] = "gpt-search", ["input"] = "Look it up.",
            ["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search" }, new JsonObject { ["type"] = "function", ["name"] = "lookup", ["parameters"] = new JsonObject { ["type"] = "object" } }),
        };

        using var response = await PostAsync("/v1/responses", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(1, row.Tokens.HostedToolCalls!.Total);
        Assert.Equal(Pricing.Cost(row.Tokens with { HostedToolCalls = null }).Total + SearchPrice, row.Cost);
    }

    [Theory]
    [InlineData(true, false, 1)]
    [InlineData(true, true, 1)]
    [InlineData(false, false, 0)]
    public async Task A_chat_completions_search_is_charged_one_web_search_per_answer(bool search, bool stream, int searches)
    {
        var body = new JsonObject
        {
            ["model"] = "gpt-search", ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What happened today?" }),
        };
        if (search)
        {
            body["web_search_options"] = new JsonObject { ["search_context_size"] = "low" };
        }

        using var response = await PostAsync("/v1/chat/completions", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(searches, row.Tokens.HostedToolCalls?.Total ?? 0);
        Assert.Equal(Pricing.Cost(row.Tokens with { HostedToolCalls = null }).Total + (searches * SearchPrice), row.Cost);
    }

    [Fact]
    public async Task A_responses_request_with_its_own_max_tool_calls_is_sent_unchanged()
    {
        var body = new JsonObject { ["model"] = "gpt-search", ["input"] = "Search once.", ["max_tool_calls"] = 1, ["tools"] = new JsonArray(new JsonObject { ["type"] = "web_search_preview" }) };

        using var response = await PostAsync("/v1/responses", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, sent, _) = Assert.Single(_gateway.OpenAi.ResponsesReceived);
        Assert.Equal(1, sent["max_tool_calls"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Gemini_google_search_queries_are_charged_per_query(bool stream)
    {
        _gateway.Gemini.SearchQueries = ["weather paris", "weather lyon"];
        var body = new JsonObject
        {
            ["contents"] = new JsonArray(new JsonObject { ["role"] = "user", ["parts"] = new JsonArray(new JsonObject { ["text"] = "Weather?" }) }),
            ["tools"] = new JsonArray(new JsonObject { ["googleSearch"] = new JsonObject() }),
        };

        using var response = await PostAsync(stream ? "/v1beta/models/gemini-search:streamGenerateContent?alt=sse" : "/v1beta/models/gemini-search:generateContent", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await response.Content.ReadAsStringAsync();
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(2, row.Tokens.HostedToolCalls!.Total);
        Assert.Equal(Pricing.Cost(row.Tokens with { HostedToolCalls = null }).Total + (2 * GooglePrice), row.Cost);
    }

    private static JsonObject Message(string model, bool stream, params JsonNode[] tools) => new()
    {
        ["model"] = model, ["max_tokens"] = 100, ["stream"] = stream,
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "What is new today?" }),
        ["tools"] = tools is [JsonArray list] ? list : new JsonArray(tools),
    };

    private Task<HttpResponseMessage> PostAsync(string path, JsonObject body, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, path)) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret ?? _gateway.Secret);
        return Http.SendAsync(request);
    }
}
