using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Providers;
using Odock.Grains.Budgets;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>/odock/v1/chat</c>, Odock's provider-neutral chat, over real HTTP against the mock model and OpenAI-format and
/// Anthropic servers on loopback: answers and streams in one format whatever served them, tools both ways, and the
/// ordered fallback list (a failed provider hands over to the next model only before anything reached the client; every
/// model must be granted; every attempt is reserved and settled; the ledger row lists the attempts).
/// </summary>
public sealed class OdockChatTests : IAsyncLifetime
{
    private const string Hello = """[{"role":"user","content":"Hello there"}]""";

    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, CachedInputPerMillion = 0.5m, OutputPerMillion = 8m };
    private static readonly ModelPricing BackupPricing = new() { Currency = "USD", InputPerMillion = 4m, OutputPerMillion = 16m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;
    private FakeOpenAiUpstream _openAi = null!;
    private FakeAnthropicUpstream _anthropic = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, Mock: "support-fast", MockPricing: BackupPricing, OpenAiCompatible: "primary-gpt", Anthropic: "claude-smart", NotGranted: "not-granted"),
            alsoGranted: AddUnreachableModelAsync);
        (_host, _secret, _openAi, _anthropic) = (_gateway.Host, _gateway.Secret, _gateway.OpenAi, _gateway.Anthropic);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task An_answer_names_the_model_and_provider_and_carries_every_token_kind_and_the_cost_charged()
    {
        var (status, answer) = await PostAsync($$"""{"model":"primary-gpt","messages":{{Hello}},"max_output_tokens":50}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("chat.response", answer["object"]!.GetValue<string>());
        Assert.Equal("primary-gpt", answer["model"]!.GetValue<string>());
        Assert.Equal("upstream", answer["provider"]!.GetValue<string>());
        Assert.Equal("text", answer["message"]!["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Hello from upstream", answer["message"]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("stop", answer["finish_reason"]!.GetValue<string>());
        var usage = answer["usage"]!;
        Assert.Equal(21, usage["input_tokens"]!.GetValue<long>());
        Assert.Equal(5, usage["cached_input_tokens"]!.GetValue<long>());
        Assert.Equal(3, usage["output_tokens"]!.GetValue<long>());
        Assert.Equal(24, usage["total_tokens"]!.GetValue<long>());
        var expected = Pricing.Cost(new TokenUsage { InputTokens = 21, CachedInputTokens = 5, OutputTokens = 3 }).Total;
        Assert.Equal(expected, answer["cost"]!["amount"]!.GetValue<decimal>());
        Assert.Equal("USD", answer["cost"]!["currency"]!.GetValue<string>());
        Assert.Empty(answer["failed_attempts"]!.AsArray());
        Assert.Equal(50, Assert.Single(_openAi.Received).Body["max_completion_tokens"]!.GetValue<long>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("odock.chat", row.Endpoint);
        Assert.Equal(answer["id"]!.GetValue<string>(), row.RequestId);
        Assert.Equal(expected, row.Cost);
    }

    [Fact]
    public async Task A_stream_is_start_text_and_end_events_with_usage_and_cost_at_the_end()
    {
        var (status, events) = await StreamAsync($$"""{"model":"support-fast","stream":true,"messages":{{Hello}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("start", events[0].Type);
        Assert.Equal("support-fast", events[0].Data["model"]!.GetValue<string>());
        Assert.Equal("offline", events[0].Data["provider"]!.GetValue<string>());
        Assert.All(events[1..^1], e => Assert.Equal("text", e.Type));
        Assert.Contains("mock-fast-1", string.Concat(events.Where(e => e.Type == "text").Select(e => e.Data["text"]!.GetValue<string>())), StringComparison.Ordinal);
        var end = events[^1];
        Assert.Equal("end", end.Type);
        Assert.Equal("stop", end.Data["finish_reason"]!.GetValue<string>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.True(row.Streamed);
        Assert.Equal(row.Tokens.InputTokens, end.Data["usage"]!["input_tokens"]!.GetValue<long>());
        Assert.Equal(row.Tokens.OutputTokens, end.Data["usage"]!["output_tokens"]!.GetValue<long>());
        Assert.Equal(row.Cost, end.Data["cost"]!["amount"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Tool_calls_and_results_travel_as_typed_parts_to_an_anthropic_model_and_back()
    {
        _anthropic.CallTool = "get_weather";
        var (status, answer) = await PostAsync("""
            {"model":"claude-smart","tool_choice":{"name":"get_weather"},
             "tools":[{"name":"get_weather","description":"Current weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "messages":[
               {"role":"system","content":"Use tools."},
               {"role":"user","content":"Weather in Lyon?"},
               {"role":"assistant","content":[{"type":"tool_call","id":"call_1","name":"get_weather","arguments":{"city":"Lyon"}}]},
               {"role":"tool","content":[{"type":"tool_result","tool_call_id":"call_1","content":"12 C"}]},
               {"role":"user","content":[{"type":"text","text":"And Paris?"}]}]}
            """);

        Assert.Equal(HttpStatusCode.OK, status);
        var content = answer["message"]!["content"]!.AsArray();
        Assert.Equal("Let me check.", content[0]!["text"]!.GetValue<string>());
        Assert.Equal("tool_call", content[1]!["type"]!.GetValue<string>());
        Assert.Equal("toolu_fake", content[1]!["id"]!.GetValue<string>());
        Assert.Equal("Paris", content[1]!["arguments"]!["city"]!.GetValue<string>());
        Assert.Equal("tool_calls", answer["finish_reason"]!.GetValue<string>());
        var (sent, _) = Assert.Single(_anthropic.Received);
        Assert.Equal("Use tools.", sent["system"]!.GetValue<string>());
        Assert.Equal("get_weather", sent["tool_choice"]!["name"]!.GetValue<string>());
        Assert.Equal("Lyon", sent["messages"]![1]!["content"]![0]!["input"]!["city"]!.GetValue<string>());
        Assert.Equal("call_1", sent["messages"]![2]!["content"]![0]!["tool_use_id"]!.GetValue<string>());
        Assert.Equal(50, answer["usage"]!["input_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_streamed_tool_call_arrives_as_tool_call_events_whose_arguments_join_up()
    {
        _anthropic.CallTool = "get_weather";
        var (_, events) = await StreamAsync($$"""{"model":"claude-smart","stream":true,"tools":[{"name":"get_weather"}],"messages":{{Hello}}}""");

        var calls = events.Where(e => e.Type == "tool_call").ToArray();
        Assert.Equal("toolu_fake", calls[0].Data["id"]!.GetValue<string>());
        Assert.Equal("get_weather", calls[0].Data["name"]!.GetValue<string>());
        var arguments = JsonNode.Parse(string.Concat(calls.Select(c => c.Data["arguments"]!.GetValue<string>())))!;
        Assert.Equal("Paris", arguments["city"]!.GetValue<string>());
        Assert.Equal("tool_calls", events[^1].Data["finish_reason"]!.GetValue<string>());
        Assert.Equal(9, events[^1].Data["usage"]!["output_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData(503, false)]
    [InlineData(503, true)]
    [InlineData(429, false)]
    public async Task A_failing_first_model_hands_over_to_the_next_and_each_attempt_is_settled_and_listed(int failure, bool stream)
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 10m, "org-monthly");
        _openAi.FailWith = failure;

        using var response = await Http.SendAsync(Post($$"""{"models":["primary-gpt","support-fast"],"stream":{{(stream ? "true" : "false")}},"messages":{{Hello}}}"""));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(_openAi.Received);
        var identity = stream ? Events(body)[0].Data : JsonNode.Parse(body)!;
        Assert.Equal("support-fast", identity["model"]!.GetValue<string>());
        var failed = Assert.Single(identity["failed_attempts"]!.AsArray())!;
        Assert.Equal("primary-gpt", failed["model"]!.GetValue<string>());
        Assert.Equal(failure == 429 ? 429 : 502, failed["status"]!.GetValue<int>());
        Assert.Contains("mock-fast-1", body, StringComparison.Ordinal);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(200, row.HttpStatus);
        Assert.Equal("primary-gpt", row.RequestedModel);
        Assert.Equal("support-fast", row.ModelName);
        Assert.Equal(BackupPricing.Cost(row.Tokens).Total, row.Cost);
        var attempts = JsonNode.Parse(row.RoutingJson!)!["attempts"]!.AsArray();
        Assert.Equal(["primary-gpt", "support-fast"], attempts.Select(a => a!["model"]!.GetValue<string>()));
        Assert.Equal([failure == 429 ? 429 : 502, 200], attempts.Select(a => a!["status"]!.GetValue<int>()));
        var status = await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(row.Cost, status.Settled);
        Assert.Equal(0m, status.Open);
    }

    [Fact]
    public async Task A_provider_that_cannot_be_reached_hands_over_to_the_next_model()
    {
        var (status, answer) = await PostAsync($$"""{"models":["dead-gpt","support-fast"],"messages":{{Hello}}}""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("support-fast", answer["model"]!.GetValue<string>());
        var failed = Assert.Single(answer["failed_attempts"]!.AsArray())!;
        Assert.Equal("dead-gpt", failed["model"]!.GetValue<string>());
        Assert.Equal("upstream_unreachable", failed["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_model_tried_after_another_is_sent_its_own_output_limit_not_the_one_before()
    {
        // dead-gpt is sent the default limit and cannot be reached; capped-gpt reserves its own, lower, limit and must
        // be sent that one: a limit left over from the attempt before would let it bill more than was reserved.
        var provider = await _host.Seed.AddProviderAsync("openai-capped", ProviderType.OpenAiCompatible, _openAi.BaseUrl, "sk-capped", _host.Protector.Protect);
        var capped = await _host.Seed.AddModelAsync("capped-gpt", new ResourcePolicy { MaxTokensPerRequest = 7 }, provider, "gpt-capped-1", Pricing);
        var (secret, _) = await _host.Seed.AddKeyAsync(name: "fallback", modelGrants: [_gateway.Models["dead-gpt"].Id, capped.Id]);

        using var response = await Http.SendAsync(Post($$"""{"models":["dead-gpt","capped-gpt"],"messages":{{Hello}}}""", secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (sent, authorization) = Assert.Single(_openAi.Received);
        Assert.Equal("Bearer sk-capped", authorization);
        Assert.Equal("gpt-capped-1", sent["model"]!.GetValue<string>());
        Assert.Equal(7, sent["max_tokens"]!.GetValue<long>());
        Assert.False(sent.ContainsKey("max_completion_tokens"));
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_hands_over_to_the_next_model()
    {
        await using var gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, Mock: "support-fast", MockPricing: BackupPricing, OpenAiCompatible: "primary-gpt"),
            new GatewayOptions { UpstreamTimeout = TimeSpan.FromMilliseconds(300), CatalogRevalidation = TimeSpan.FromMilliseconds(50) });
        var (host, secret) = (gateway.Host, gateway.Secret);
        gateway.OpenAi.Stall = TimeSpan.FromSeconds(5);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "/odock/v1/chat"))
        {
            Content = new StringContent($$"""{"models":["primary-gpt","support-fast"],"messages":{{Hello}}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        using var response = await Http.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("support-fast", answer["model"]!.GetValue<string>());
        var failed = Assert.Single(answer["failed_attempts"]!.AsArray())!;
        Assert.Equal(504, failed["status"]!.GetValue<int>());
        Assert.Equal("upstream_timeout", failed["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_provider_that_breaks_off_after_the_first_bytes_is_not_replaced_by_the_next_model()
    {
        _openAi.BreakStreamWhen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var response = await Http.SendAsync(Post($$"""{"models":["primary-gpt","claude-smart"],"stream":true,"messages":{{Hello}}}"""), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new StringBuilder();
        while (!received.ToString().Contains("event: text", StringComparison.Ordinal))
        {
            received.Append(await reader.ReadLineAsync()).Append('\n');
        }

        _openAi.BreakStreamWhen.SetResult();
        var events = Events(received + await reader.ReadToEndAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("primary-gpt", events[0].Data["model"]!.GetValue<string>());
        Assert.Equal("Hello", events[1].Data["text"]!.GetValue<string>());
        Assert.Equal("error", events[^1].Type);
        Assert.Equal("upstream_stream_broken", events[^1].Data["error"]!["code"]!.GetValue<string>());
        Assert.Empty(_anthropic.Received);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(502, row.HttpStatus);
        Assert.Equal("upstream_stream_broken", row.ErrorCode);
        Assert.Single(JsonNode.Parse(row.RoutingJson!)!["attempts"]!.AsArray());
    }

    [Fact]
    public async Task A_provider_refusing_the_request_itself_is_final_and_not_retried_elsewhere()
    {
        _openAi.FailWith = 400;

        var (status, answer) = await PostAsync($$"""{"models":["primary-gpt","claude-smart"],"messages":{{Hello}}}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("upstream_client_error", answer["error"]!["code"]!.GetValue<string>());
        Assert.Equal("upstream says no", answer["error"]!["message"]!.GetValue<string>());
        Assert.Empty(_anthropic.Received);
    }

    [Fact]
    public async Task A_model_in_the_list_that_the_key_may_not_use_refuses_the_request_before_any_call()
    {
        var (status, answer) = await PostAsync($$"""{"models":["primary-gpt","not-granted"],"messages":{{Hello}}}""");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("model_not_allowed", answer["error"]!["code"]!.GetValue<string>());
        Assert.Equal("models[1]", answer["error"]!["param"]!.GetValue<string>());
        Assert.StartsWith("req_", answer["error"]!["request_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_openAi.Received);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(403, row.HttpStatus);
        Assert.Equal(0m, row.Cost);
    }

    [Theory]
    [InlineData("{oops", null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "models")]
    [InlineData("""{"model":"support-fast","models":["support-fast"],"messages":[{"role":"user","content":"hi"}]}""", "models")]
    [InlineData("""{"models":["support-fast",7],"messages":[{"role":"user","content":"hi"}]}""", "models[1]")]
    [InlineData("""{"model":"support-fast","messages":[]}""", "messages")]
    [InlineData("""{"model":"support-fast","messages":[{"role":"robot","content":"hi"}]}""", "messages[0].role")]
    [InlineData("""{"model":"support-fast","messages":[{"role":"user","content":[{"type":"tool_call","id":"x","name":"y"}]}]}""", "messages[0].content[0]")]
    [InlineData("""{"model":"support-fast","messages":[{"role":"user","content":"hi"}],"max_output_tokens":-1}""", "max_output_tokens")]
    [InlineData("""{"model":"support-fast","messages":[{"role":"user","content":"hi"}],"tool_choice":"sometimes"}""", "tool_choice")]
    public async Task Malformed_bodies_get_400_naming_the_field(string body, string? param)
    {
        var (status, answer) = await PostAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(param, answer["error"]!["param"]?.GetValue<string>());
    }

    [Theory]
    [InlineData("max_tokens", "'max_output_tokens'")]
    [InlineData("system", "a message with the role 'system'")]
    [InlineData("metadata", "docs/API.md")]
    public async Task A_field_the_format_does_not_have_gets_400_naming_it_and_its_name_here_rather_than_being_ignored(string field, string hint)
    {
        var (status, answer) = await PostAsync($$"""{"model":"support-fast","messages":[{"role":"user","content":"hi"}],"{{field}}":3}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(field, answer["error"]!["param"]!.GetValue<string>());
        Assert.Contains(hint, answer["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(400, Assert.Single(await _host.LedgerAsync(1)).HttpStatus);
    }

    /// <summary>A granted model whose provider cannot be reached: nothing listens on port 1 of the loopback, so connecting is refused at once.</summary>
    private static async Task<Model> AddUnreachableModelAsync(GatewayHost host)
    {
        var unreachable = await host.Seed.AddProviderAsync("unreachable", ProviderType.OpenAiCompatible, "http://127.0.0.1:1/v1", "sk-none", host.Protector.Protect);
        return await host.Seed.AddModelAsync("dead-gpt", ResourcePolicy.None, unreachable, "gpt-dead-1", Pricing);
    }

    private async Task<(HttpStatusCode Status, JsonNode Answer)> PostAsync(string body)
    {
        using var response = await Http.SendAsync(Post(body));
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private async Task<(HttpStatusCode Status, List<(string Type, JsonNode Data)> Events)> StreamAsync(string body)
    {
        using var response = await Http.SendAsync(Post(body));
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        return (response.StatusCode, Events(await response.Content.ReadAsStringAsync()));
    }

    private static List<(string Type, JsonNode Data)> Events(string body) =>
        body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => block.Split('\n'))
            .Select(lines => (lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!))
            .ToList();

    private HttpRequestMessage Post(string body, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/odock/v1/chat"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret ?? _secret);
        return request;
    }
}
