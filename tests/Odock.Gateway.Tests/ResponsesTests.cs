using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenAI.Responses;
using Odock.Domain.Models;

#pragma warning disable OPENAI001 // The Responses client is marked for evaluation in the official SDK; it is the client under test.

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>/v1/responses</c> through full governance, driven by the official OpenAI SDK's <see cref="ResponsesClient"/>:
/// relayed as sent to an OpenAI-format server, and translated for the mock, Anthropic and Gemini models, answers and
/// typed stream events alike; charged from the provider's usage.
/// </summary>
public sealed class ResponsesTests : IAsyncLifetime
{
    private const string WeatherSchema = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""";

    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, CachedInputPerMillion = 0.5m, OutputPerMillion = 8m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;
    private FakeOpenAiUpstream _openAi = null!;
    private FakeAnthropicUpstream _anthropic = null!;
    private FakeGeminiUpstream _gemini = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "gpt-native", Anthropic: "claude-smart", Gemini: "gemini-smart"));
        (_host, _secret, _openAi, _anthropic, _gemini) = (_gateway.Host, _gateway.Secret, _gateway.OpenAi, _gateway.Anthropic, _gateway.Gemini);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task The_responses_client_gets_a_response_from_the_mock_model_and_the_call_is_charged_and_recorded()
    {
        var result = await Client().CreateResponseAsync(new CreateResponseOptions("support-fast", [ResponseItem.CreateUserMessageItem("Hello, who are you?")]) { Instructions = "Be brief." });

        var response = result.Value;
        Assert.Equal(ResponseStatus.Completed, response.Status);
        Assert.Contains("mock-fast-1", response.GetOutputText(), StringComparison.Ordinal);
        Assert.Equal("support-fast", response.Model);
        Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems));
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId));
        Assert.Equal("resp_" + requestId!["req_".Length..], response.Id);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("openai.responses", row.Endpoint);
        Assert.Equal(requestId, row.RequestId);
        Assert.Equal(response.Usage.InputTokenCount, row.Tokens.InputTokens);
        Assert.Equal(response.Usage.OutputTokenCount, row.Tokens.OutputTokens);
        Assert.Equal(Pricing.Cost(row.Tokens).Total, row.Cost);
    }

    [Fact]
    public async Task A_translated_stream_is_the_typed_event_sequence_with_sequence_numbers_and_usage_at_the_end()
    {
        var updates = await StreamAsync(new CreateResponseOptions("support-fast", [ResponseItem.CreateUserMessageItem("Hello")]));

        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        Assert.IsType<StreamingResponseOutputItemAddedUpdate>(updates[2]);
        Assert.IsType<StreamingResponseContentPartAddedUpdate>(updates[3]);
        Assert.IsType<StreamingResponseOutputTextDoneUpdate>(updates[^4]);
        Assert.IsType<StreamingResponseContentPartDoneUpdate>(updates[^3]);
        Assert.IsType<StreamingResponseOutputItemDoneUpdate>(updates[^2]);
        var completed = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]);
        Assert.Equal(Enumerable.Range(0, updates.Count), updates.Select(u => u.SequenceNumber));
        var text = string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta));
        Assert.Contains("mock-fast-1", text, StringComparison.Ordinal);
        Assert.Equal(text, updates.OfType<StreamingResponseOutputTextDoneUpdate>().Single().Text);
        Assert.Equal(text, completed.Response.GetOutputText());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.True(row.Streamed);
        Assert.Equal(completed.Response.Usage.InputTokenCount, row.Tokens.InputTokens);
        Assert.Equal(completed.Response.Usage.OutputTokenCount, row.Tokens.OutputTokens);
    }

    [Fact]
    public async Task An_openai_format_provider_gets_the_request_natively_at_its_responses_endpoint_with_the_slug()
    {
        _openAi.CallTool = "get_weather";
        var options = new CreateResponseOptions("gpt-native", [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), true, "Current weather") },
            MaxOutputTokenCount = 200,
        };

        var response = (await Client().CreateResponseAsync(options)).Value;

        var call = Assert.IsType<FunctionCallResponseItem>(Assert.Single(response.OutputItems));
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("call_fake", call.CallId);
        var (path, sent, authorization) = Assert.Single(_openAi.ResponsesReceived);
        Assert.Equal("/v1/responses", path);
        Assert.Equal("gpt-upstream-1", sent["model"]!.GetValue<string>());
        Assert.Equal("Bearer sk-upstream-secret", authorization);
        Assert.Equal("get_weather", sent["tools"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(200, sent["max_output_tokens"]!.GetValue<int>());
        Assert.Empty(_openAi.Received);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(new TokenUsage { InputTokens = 40, CachedInputTokens = 10, OutputTokens = 6, ReasoningTokens = 2 }, row.Tokens);
        Assert.Equal(Pricing.Cost(row.Tokens).Total, row.Cost);
        Assert.Contains("\"input_tokens\":40", row.ProviderUsageJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_native_stream_is_relayed_untouched_and_charged_from_response_completed()
    {
        var updates = await StreamAsync(new CreateResponseOptions("gpt-native", [ResponseItem.CreateUserMessageItem("Hello")]));

        Assert.Equal("Hello from upstream responses", string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta)));
        Assert.Equal("gpt-upstream-1", Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response.Model);
        Assert.True(Assert.Single(_openAi.ResponsesReceived).Body["stream"]!.GetValue<bool>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.True(row.Streamed);
        Assert.Equal(new TokenUsage { InputTokens = 40, CachedInputTokens = 10, OutputTokens = 6, ReasoningTokens = 2 }, row.Tokens);
        Assert.Equal(Pricing.Cost(row.Tokens).Total, row.Cost);
    }

    [Fact]
    public async Task An_anthropic_model_gets_a_translated_request_and_its_tool_use_comes_back_as_a_function_call_item()
    {
        _anthropic.CallTool = "get_weather";
        var options = new CreateResponseOptions("claude-smart", [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Instructions = "Use tools.",
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), false, "Current weather") },
            ToolChoice = ResponseToolChoice.CreateRequiredChoice(),
            MaxOutputTokenCount = 300,
        };

        var response = (await Client().CreateResponseAsync(options)).Value;

        Assert.Equal("Let me check.", response.GetOutputText());
        var call = Assert.Single(response.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("toolu_fake", call.CallId);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());
        var (sent, _) = Assert.Single(_anthropic.Received);
        Assert.Equal("claude-sonnet-x", sent["model"]!.GetValue<string>());
        Assert.Equal("Use tools.", sent["system"]!.GetValue<string>());
        Assert.Equal(300, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal("get_weather", sent["tools"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("string", sent["tools"]![0]!["input_schema"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        Assert.Equal("any", sent["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal(50, response.Usage.InputTokenCount);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(50, row.Tokens.InputTokens);
        Assert.Equal(9, row.Tokens.OutputTokens);
    }

    [Fact]
    public async Task A_streamed_anthropic_tool_use_becomes_function_call_argument_events()
    {
        _anthropic.CallTool = "get_weather";
        var options = new CreateResponseOptions("claude-smart", [ResponseItem.CreateUserMessageItem("Weather in Paris?")])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), false, "Current weather") },
        };

        var updates = await StreamAsync(options);

        var added = updates.OfType<StreamingResponseOutputItemAddedUpdate>().Single();
        Assert.Equal("toolu_fake", Assert.IsType<FunctionCallResponseItem>(added.Item).CallId);
        var pieces = updates.OfType<StreamingResponseFunctionCallArgumentsDeltaUpdate>().Select(d => d.Delta.ToString()).ToArray();
        Assert.True(pieces.Length >= 2);
        var done = updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>().Single();
        Assert.Equal(string.Concat(pieces), done.FunctionArguments.ToString());
        Assert.Equal("get_weather", done.FunctionName);
        var final = Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response;
        Assert.Equal("Paris", JsonNode.Parse(Assert.IsType<FunctionCallResponseItem>(Assert.Single(final.OutputItems)).FunctionArguments.ToString())!["city"]!.GetValue<string>());
        Assert.Equal(50, final.Usage.InputTokenCount);
        Assert.Equal(9, final.Usage.OutputTokenCount);
        Assert.Equal(9, Assert.Single(await _host.LedgerAsync(1)).Tokens.OutputTokens);
    }

    [Fact]
    public async Task Function_call_and_output_items_reach_an_anthropic_model_as_tool_use_and_tool_result_blocks()
    {
        var options = new CreateResponseOptions("claude-smart",
        [
            ResponseItem.CreateUserMessageItem("Weather in Lyon?"),
            ResponseItem.CreateFunctionCallItem("call_7", "get_weather", BinaryData.FromString("""{"city":"Lyon"}""")),
            ResponseItem.CreateFunctionCallOutputItem("call_7", "12 C"),
        ])
        {
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString(WeatherSchema), false, "Current weather") },
        };

        var response = (await Client().CreateResponseAsync(options)).Value;

        Assert.Equal("Bonjour from Anthropic", response.GetOutputText());
        var messages = Assert.Single(_anthropic.Received).Body["messages"]!.AsArray();
        Assert.Equal("tool_use", messages[1]!["content"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("Lyon", messages[1]!["content"]![0]!["input"]!["city"]!.GetValue<string>());
        Assert.Equal("call_7", messages[2]!["content"]![0]!["tool_use_id"]!.GetValue<string>());
        Assert.Equal("12 C", messages[2]!["content"]![0]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_gemini_model_gets_the_json_schema_format_and_answers_through_translation_streamed_or_not()
    {
        var options = new CreateResponseOptions("gemini-smart", [ResponseItem.CreateUserMessageItem("Hello")])
        {
            TextOptions = new ResponseTextOptions { TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("greeting", BinaryData.FromString("""{"type":"object","properties":{"text":{"type":"string"}}}"""), null, true) },
        };

        var response = (await Client().CreateResponseAsync(options)).Value;
        var updates = await StreamAsync(new CreateResponseOptions("gemini-smart", [ResponseItem.CreateUserMessageItem("Hello")]));

        Assert.Equal("Hallo from Gemini", response.GetOutputText());
        Assert.Equal(25, response.Usage.InputTokenCount);
        Assert.Equal(8, response.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(8, response.Usage.OutputTokenDetails.ReasoningTokenCount);
        var (path, sent, _) = _gemini.Received.First();
        Assert.Equal("/v1beta/models/gemini-2.5-x:generateContent", path);
        Assert.Equal("application/json", sent["generationConfig"]!["responseMimeType"]!.GetValue<string>());
        Assert.Equal("Hallo from Gemini", string.Concat(updates.OfType<StreamingResponseOutputTextDeltaUpdate>().Select(d => d.Delta)));
        Assert.Equal(8, Assert.IsType<StreamingResponseCompletedUpdate>(updates[^1]).Response.Usage.OutputTokenCount);
        var rows = await _host.LedgerAsync(2);
        Assert.Equal(13, Assert.Single(rows, r => !r.Streamed).Tokens.OutputTokens);
        Assert.Equal(8, Assert.Single(rows, r => r.Streamed).Tokens.OutputTokens);
    }

    [Fact]
    public async Task An_answer_cut_by_the_output_limit_is_incomplete_with_the_reason()
    {
        var response = (await Client().CreateResponseAsync(new CreateResponseOptions("support-fast", [ResponseItem.CreateUserMessageItem("Hello")]) { MaxOutputTokenCount = 3 })).Value;
        var updates = await StreamAsync(new CreateResponseOptions("support-fast", [ResponseItem.CreateUserMessageItem("Hello")]) { MaxOutputTokenCount = 3 });

        Assert.Equal(ResponseStatus.Incomplete, response.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, response.IncompleteStatusDetails.Reason);
        Assert.Equal(3, response.Usage.OutputTokenCount);
        var incomplete = Assert.IsType<StreamingResponseIncompleteUpdate>(updates[^1]);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, incomplete.Response.IncompleteStatusDetails.Reason);

        // The message that was cut is itself incomplete, in the answer and in the stream's item events.
        Assert.Equal(MessageStatus.Incomplete, Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(response.OutputItems)).Status);
        var done = Assert.Single(updates.OfType<StreamingResponseOutputItemDoneUpdate>());
        Assert.Equal(MessageStatus.Incomplete, Assert.IsAssignableFrom<MessageResponseItem>(done.Item).Status);
        Assert.Equal(MessageStatus.Incomplete, Assert.IsAssignableFrom<MessageResponseItem>(Assert.Single(incomplete.Response.OutputItems)).Status);
    }

    [Theory]
    [InlineData("support-fast", """{"model":"support-fast","input":"hi","previous_response_id":"resp_123"}""", "previous_response_id")]
    [InlineData("claude-smart", """{"model":"claude-smart","input":"hi","tools":[{"type":"web_search"}]}""", "tools[0]")]
    [InlineData("gemini-smart", """{"model":"gemini-smart","input":"hi","store":true}""", "store")]
    [InlineData("support-fast", """{"model":"support-fast","input":[{"type":"message","role":"user","content":[{"type":"input_file","file_id":"file-1"}]}]}""", "input[0].content[0]")]
    public async Task Features_only_openai_serves_get_400_naming_the_field_for_other_models(string model, string body, string param)
    {
        using var response = await Http.SendAsync(Post(body));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = error.RootElement.GetProperty("error");
        Assert.Equal(param, detail.GetProperty("param").GetString());
        Assert.Contains(model, detail.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_anthropic.Received);
        Assert.Empty(_gemini.Received);
    }

    [Fact]
    public async Task Features_only_openai_serves_are_relayed_to_an_openai_format_model()
    {
        using var response = await Http.SendAsync(Post("""{"model":"gpt-native","input":"hi","previous_response_id":"resp_123","tools":[{"type":"web_search"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_openAi.ResponsesReceived).Body;
        Assert.Equal("resp_123", sent["previous_response_id"]!.GetValue<string>());
        Assert.Equal("web_search", sent["tools"]![0]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{nope", null)]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":"support-fast"}""", "input")]
    [InlineData("""{"model":"support-fast","input":42}""", "input")]
    [InlineData("""{"model":"support-fast","input":"hi","max_output_tokens":0}""", "max_output_tokens")]
    [InlineData("""{"model":"support-fast","input":[{"type":"function_call_output"}]}""", "input[0]")]
    [InlineData("""{"model":"support-fast","input":[{"role":"robot","content":"hi"}]}""", "input[0].role")]
    [InlineData("""{"model":"support-fast","input":"hi","text":{"format":{"type":"json_schema"}}}""", "text.format")]
    public async Task Malformed_bodies_get_400_in_openais_error_shape_naming_the_field(string body, string? param)
    {
        using var response = await Http.SendAsync(Post(body));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = error.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", detail.GetProperty("type").GetString());
        Assert.Equal(param, detail.GetProperty("param").ValueKind == JsonValueKind.Null ? null : detail.GetProperty("param").GetString());
        Assert.Equal(400, Assert.Single(await _host.LedgerAsync(1)).HttpStatus);
    }

    [Fact]
    public async Task A_provider_failure_reaches_the_responses_client_as_its_exception()
    {
        _openAi.FailWith = 400;
        var refused = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(new CreateResponseOptions("gpt-native", [ResponseItem.CreateUserMessageItem("hi")])));
        _openAi.FailWith = 503;
        var failed = await Assert.ThrowsAsync<ClientResultException>(() => Client().CreateResponseAsync(new CreateResponseOptions("gpt-native", [ResponseItem.CreateUserMessageItem("hi")])));

        Assert.Equal(400, refused.Status);
        Assert.Contains("upstream says no", refused.Message, StringComparison.Ordinal);
        Assert.Equal(502, failed.Status);
    }

    [Fact]
    public async Task A_provider_that_stops_answering_midway_ends_the_stream_with_response_failed()
    {
        await using var gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, Anthropic: "claude-smart"),
            new GatewayOptions { UpstreamTimeout = TimeSpan.FromMilliseconds(500), CatalogRevalidation = TimeSpan.FromMilliseconds(50) });
        var (host, secret) = (gateway.Host, gateway.Secret);
        gateway.Anthropic.StallMidStream = TimeSpan.FromSeconds(10);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(host.Address, "/v1/responses"))
        {
            Content = new StringContent("""{"model":"claude-smart","input":"hi","stream":true}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);

        using var response = await Http.SendAsync(request);
        var events = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(block => JsonNode.Parse(block.Split('\n')[1]["data: ".Length..])!).ToArray();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bonjour", events.Single(e => e["type"]!.GetValue<string>() == "response.output_text.delta")["delta"]!.GetValue<string>());
        var failed = events[^1];
        Assert.Equal("response.failed", failed["type"]!.GetValue<string>());
        Assert.Equal("failed", failed["response"]!["status"]!.GetValue<string>());
        Assert.Equal("server_error", failed["response"]!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(Enumerable.Range(0, events.Length), events.Select(e => e["sequence_number"]!.GetValue<int>()));
        Assert.Equal("upstream_timeout", Assert.Single(await host.LedgerAsync(1)).ErrorCode);
    }

    private ResponsesClient Client() => new(new ApiKeyCredential(_secret), new ResponsesClientOptions
    {
        Endpoint = new Uri(_host.Address, "/v1"),
        RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
    });

    private async Task<List<StreamingResponseUpdate>> StreamAsync(CreateResponseOptions options)
    {
        options.StreamingEnabled = true;
        var updates = new List<StreamingResponseUpdate>();
        await foreach (var update in await Client().CreateResponseStreamingAsync(options))
        {
            updates.Add(update);
        }

        return updates;
    }

    private HttpRequestMessage Post(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/responses"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        return request;
    }
}
