using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Periods;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>/v1/messages</c> driven by the official Anthropic .NET SDK: natively to an Anthropic provider (untranslated),
/// and translated to OpenAI-format providers (the mock and an OpenAI-compatible server), streamed or not.
/// </summary>
public sealed class AnthropicMessagesTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 3m, CachedInputPerMillion = 0.3m, CacheWritePerMillion = 3.75m, OutputPerMillion = 15m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;
    private FakeOpenAiUpstream _openAi = null!;
    private FakeAnthropicUpstream _anthropic = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "upstream-chat", Anthropic: "claude-smart"));
        (_host, _secret, _openAi, _anthropic) = (_gateway.Host, _gateway.Secret, _gateway.OpenAi, _gateway.Anthropic);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task The_anthropic_sdk_reaches_an_anthropic_model_natively_with_its_version_and_the_providers_key()
    {
        var message = await _host.Anthropic(_secret).Messages.Create(Params("claude-smart"));

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Bonjour from Anthropic", text!.Text);
        Assert.Equal(30, message.Usage.InputTokens);
        var (sent, headers) = Assert.Single(_anthropic.Received);
        Assert.Equal("claude-sonnet-x", sent["model"]!.GetValue<string>());
        Assert.Equal("sk-ant-secret", headers["x-api-key"].ToString());
        Assert.False(string.IsNullOrEmpty(headers["anthropic-version"].ToString()));
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("anthropic.messages", row.Endpoint);
        Assert.Equal(42, row.Tokens.InputTokens);
        Assert.Equal(10, row.Tokens.CachedInputTokens);
        Assert.Equal(2, row.Tokens.CacheWriteTokens);
        Assert.Equal(4, row.Tokens.OutputTokens);
        Assert.Equal(Pricing.Cost(row.Tokens).Total, row.Cost);
    }

    [Fact]
    public async Task A_native_anthropic_stream_is_relayed_untouched_and_charged_from_its_start_and_delta_usage()
    {
        var text = new StringBuilder();
        await foreach (var streamEvent in _host.Anthropic(_secret).Messages.CreateStreaming(Params("claude-smart")))
        {
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.Json.TryGetProperty("text", out var piece))
            {
                text.Append(piece.GetString());
            }
        }

        Assert.Equal("Bonjour from Anthropic", text.ToString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.True(row.Streamed);
        Assert.Equal(40, row.Tokens.InputTokens);
        Assert.Equal(7, row.Tokens.OutputTokens);
    }

    [Fact]
    public async Task The_anthropic_sdk_gets_an_anthropic_message_from_an_openai_format_model()
    {
        var message = await _host.Anthropic(_secret).Messages.Create(Params("support-fast"));

        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Contains("mock-fast-1", text!.Text, StringComparison.Ordinal);
        Assert.True(message.Usage.InputTokens > 0);
        Assert.True(message.Usage.OutputTokens > 0);
        Assert.Equal("anthropic.messages", Assert.Single(await _host.LedgerAsync(1)).Endpoint);
    }

    [Fact]
    public async Task An_openai_stream_becomes_anthropics_event_sequence_with_usage_in_the_final_delta()
    {
        using var response = await Http.SendAsync(Post(_secret, """{"model":"upstream-chat","max_tokens":50,"stream":true,"system":"Be brief.","messages":[{"role":"user","content":"hi"}]}"""));
        var body = await response.Content.ReadAsStringAsync();
        var events = body.Split('\n').Where(l => l.StartsWith("event: ", StringComparison.Ordinal)).Select(l => l["event: ".Length..]).ToArray();

        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events);
        var sent = Assert.Single(_openAi.Received).Body;
        Assert.Equal("system", sent["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("gpt-upstream-1", sent["model"]!.GetValue<string>());
        using var final = JsonDocument.Parse(body.Split('\n').Last(l => l.Contains("\"message_delta\"", StringComparison.Ordinal))["data: ".Length..]);
        Assert.Equal(3, final.RootElement.GetProperty("usage").GetProperty("output_tokens").GetInt64());
        Assert.Equal("end_turn", final.RootElement.GetProperty("delta").GetProperty("stop_reason").GetString());

        var text = new StringBuilder();
        await foreach (var streamEvent in _host.Anthropic(_secret).Messages.CreateStreaming(Params("upstream-chat")))
        {
            if (streamEvent.TryPickContentBlockDelta(out var delta) && delta!.Delta.Json.TryGetProperty("text", out var piece))
            {
                text.Append(piece.GetString());
            }
        }

        Assert.Equal("Hello from upstream", text.ToString());
    }

    [Fact]
    public async Task Tools_translate_both_ways_between_anthropic_and_openai_formats()
    {
        _openAi.CallTool = "get_weather";
        using var response = await Http.SendAsync(Post(_secret, """
            {"model":"upstream-chat","max_tokens":100,
             "tools":[{"name":"get_weather","description":"Weather by city","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],
             "tool_choice":{"type":"any"},
             "messages":[
               {"role":"user","content":"Weather in Lyon?"},
               {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Lyon"}}]},
               {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"12 C"},{"type":"text","text":"And Paris?"}]}]}
            """));
        using var message = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        var sent = Assert.Single(_openAi.Received).Body;
        Assert.Equal("get_weather", sent["tools"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("required", sent["tool_choice"]!.GetValue<string>());
        Assert.Equal("toolu_1", sent["messages"]![1]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("{\"city\":\"Lyon\"}", sent["messages"]![1]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool", sent["messages"]![2]!["role"]!.GetValue<string>());
        Assert.Equal("12 C", sent["messages"]![2]!["content"]!.GetValue<string>());
        var block = message.RootElement.GetProperty("content")[0];
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("get_weather", block.GetProperty("name").GetString());
        Assert.Equal("Paris", block.GetProperty("input").GetProperty("city").GetString());
        Assert.Equal("tool_use", message.RootElement.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task The_openai_sdk_reaches_an_anthropic_model_through_translation()
    {
        var chat = _host.Chat("claude-smart", _secret);
        var completion = (await chat.CompleteChatAsync([new OpenAI.Chat.SystemChatMessage("Be brief."), new OpenAI.Chat.UserChatMessage("Salut")])).Value;

        Assert.Equal("Bonjour from Anthropic", completion.Content[0].Text);
        Assert.Equal(42, completion.Usage.InputTokenCount);
        Assert.Equal(4, completion.Usage.OutputTokenCount);
        var (sent, headers) = Assert.Single(_anthropic.Received);
        Assert.Equal("Be brief.", sent["system"]!.GetValue<string>());
        Assert.Equal(4096, sent["max_tokens"]!.GetValue<long>());
        Assert.Equal("Salut", sent["messages"]![0]!["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("sk-ant-secret", headers["x-api-key"].ToString());

        var text = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new OpenAI.Chat.UserChatMessage("Salut")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        Assert.Equal("Bonjour from Anthropic", text.ToString());
        var rows = await _host.LedgerAsync(2);
        var streamed = Assert.Single(rows, r => r.Streamed);
        Assert.Equal("openai.chat_completions", streamed.Endpoint);
        Assert.Equal(40, streamed.Tokens.InputTokens);
        Assert.Equal(7, streamed.Tokens.OutputTokens);
    }

    [Fact]
    public async Task Openai_tools_and_tool_results_reach_an_anthropic_model_as_blocks()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/chat/completions"))
        {
            Content = new StringContent("""
                {"model":"claude-smart","max_tokens":64,"tool_choice":"required",
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
                 "messages":[{"role":"user","content":"Weather in Lyon?"},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},
                   {"role":"tool","tool_call_id":"call_9","content":"12 C"}]}
                """, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_anthropic.Received).Body;
        Assert.Equal("object", sent["tools"]![0]!["input_schema"]!["type"]!.GetValue<string>());
        Assert.Equal("any", sent["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal("tool_use", sent["messages"]![1]!["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Lyon", sent["messages"]![1]!["content"]![0]!["input"]!["city"]!.GetValue<string>());
        Assert.Equal("user", sent["messages"]![2]!["role"]!.GetValue<string>());
        Assert.Equal("call_9", sent["messages"]![2]!["content"]![0]!["tool_use_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Refusals_reach_the_anthropic_sdk_as_its_own_exceptions()
    {
        await _host.Seed.AddBudgetAsync(LimitScope.User, _host.Seed.User.Id, 0.0000001m, "user-tiny", PeriodKind.Lifetime);
        await Assert.ThrowsAsync<AnthropicUnauthorizedException>(() => _host.Anthropic("odk-nobodyhasthiskeynobodyhasthiskey0000000").Messages.Create(Params("support-fast")));
        await Assert.ThrowsAsync<AnthropicNotFoundException>(() => _host.Anthropic(_secret).Messages.Create(Params("no-such-model")));

        var spent = await Assert.ThrowsAnyAsync<AnthropicApiException>(() => _host.Anthropic(_secret).Messages.Create(Params("claude-smart")));
        Assert.Equal((HttpStatusCode)402, spent.StatusCode);
        using var error = JsonDocument.Parse(spent.ResponseBody);
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Equal("billing_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Empty(_anthropic.Received);
    }

    [Theory]
    [InlineData("""{"model":"support-fast","messages":[{"role":"user","content":"hi"}]}""", "max_tokens")]
    [InlineData("""{"model":"support-fast","max_tokens":10,"messages":[{"role":"system","content":"hi"}]}""", "role")]
    [InlineData("""{"model":"support-fast","max_tokens":10,"messages":[{"role":"user","content":[{"type":"text","text":5}]}]}""", "wrong type")]
    [InlineData("{oops", "not valid JSON")]
    public async Task Malformed_bodies_get_400_in_anthropics_error_shape(string body, string mentions)
    {
        using var response = await Http.SendAsync(Post(_secret, body));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(mentions, error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"tools":[{"name":"lookup","input_schema":{"type":"object"}},{"type":"web_search_20250305","name":"web_search","max_uses":3}]}""", "tools.1")]
    [InlineData("""{"tools":[{"type":"bash_20250124","name":"bash"}]}""", "tools.0")]
    [InlineData("""{"mcp_servers":[{"type":"url","url":"https://mcp.example.com/sse","name":"example"}]}""", "mcp_servers")]
    [InlineData("""{"container":"container_011"}""", "container")]
    public async Task What_only_anthropic_runs_gets_400_for_other_models_and_reaches_anthropic_models_as_sent(string extra, string param)
    {
        var fields = JsonNode.Parse(extra)!.AsObject();
        string Body(string model)
        {
            var body = JsonNode.Parse($$"""{"model":"{{model}}","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""")!.AsObject();
            foreach (var (name, value) in fields)
            {
                body[name] = value!.DeepClone();
            }

            return body.ToJsonString();
        }

        using var elsewhere = await Http.SendAsync(Post(_secret, Body("upstream-chat")));
        using var native = await Http.SendAsync(Post(_secret, Body("claude-smart")));

        using var error = JsonDocument.Parse(await elsewhere.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, elsewhere.StatusCode);
        Assert.StartsWith(param + ":", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains("'upstream-chat' is not one", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_openAi.ReceivedText);
        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        var (sent, _) = Assert.Single(_anthropic.Received);
        Assert.Equal(fields.First().Value!.ToJsonString(), sent[fields.First().Key]!.ToJsonString());
    }

    private static MessageCreateParams Params(string model) => new()
    {
        Model = model,
        MaxTokens = 100,
        Messages = [new() { Role = Role.User, Content = "Hello there" }],
    };

    private HttpRequestMessage Post(string secret, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/messages"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-api-key", secret);
        request.Headers.TryAddWithoutValidation("anthropic-version", "2023-06-01");
        return request;
    }
}
