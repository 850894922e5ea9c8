using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using OpenAI.Chat;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Periods;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>/v1beta/models/{model}:generateContent</c>, <c>:streamGenerateContent?alt=sse</c> and <c>:countTokens</c> over raw
/// HTTP as Google's SDKs send them (no official Gemini .NET SDK is available here): natively to a Gemini provider, and
/// translated to OpenAI-format and Anthropic providers; and the OpenAI SDK reaching a Gemini model through translation.
/// </summary>
public sealed class GeminiTests : IAsyncLifetime
{
    private const string Hello = """{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}]}""";

    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1.25m, CachedInputPerMillion = 0.3125m, OutputPerMillion = 10m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;
    private FakeGeminiUpstream _gemini = null!;
    private FakeOpenAiUpstream _openAi = null!;
    private FakeAnthropicUpstream _anthropic = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "upstream-chat", Anthropic: "claude-smart", Gemini: "gemini-smart"));
        (_host, _secret, _gemini, _openAi, _anthropic) = (_gateway.Host, _gateway.Secret, _gateway.Gemini, _gateway.OpenAi, _gateway.Anthropic);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task A_gemini_client_reaches_a_gemini_model_natively_with_the_providers_key_and_is_charged_from_usage_metadata()
    {
        const string body = """{"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Hello there"}]}],"generationConfig":{"maxOutputTokens":100,"topK":40}}""";

        using var response = await Http.SendAsync(Post("gemini-smart:generateContent", body));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hallo from Gemini", JsonNode.Parse(answer)!["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("gemini-2.5-x", JsonNode.Parse(answer)!["modelVersion"]!.GetValue<string>());
        var (path, sent, headers) = Assert.Single(_gemini.Received);
        Assert.Equal("/v1beta/models/gemini-2.5-x:generateContent", path);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(body), sent), "the body goes upstream as the client sent it");
        Assert.Equal("AIza-gemini-secret", headers["x-goog-api-key"].ToString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("gemini.generate_content", row.Endpoint);
        Assert.Equal("gemini-smart", row.RequestedModel);
        Assert.Equal(25, row.Tokens.InputTokens);
        Assert.Equal(8, row.Tokens.CachedInputTokens);
        Assert.Equal(13, row.Tokens.OutputTokens);
        Assert.Equal(8, row.Tokens.ReasoningTokens);
        Assert.Equal(Pricing.Cost(row.Tokens).Total, row.Cost);
    }

    [Fact]
    public async Task A_native_gemini_stream_is_relayed_untouched_and_charged_from_the_last_usage_metadata()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, $"/v1beta/models/gemini-smart:streamGenerateContent?alt=sse&key={_secret}"))
        {
            Content = new StringContent(Hello, Encoding.UTF8, "application/json"),
        };

        using var response = await Http.SendAsync(request);
        var frames = Frames(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("Hallo from Gemini", string.Concat(frames.Select(f => f["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>())));
        Assert.Equal("STOP", frames[^1]["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.Equal("/v1beta/models/gemini-2.5-x:streamGenerateContent?alt=sse", Assert.Single(_gemini.Received).Path);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("gemini.stream_generate_content", row.Endpoint);
        Assert.True(row.Streamed);
        Assert.Equal(25, row.Tokens.InputTokens);
        Assert.Equal(8, row.Tokens.OutputTokens);
        Assert.Equal(2, row.Tokens.ReasoningTokens);
    }

    [Fact]
    public async Task A_gemini_client_gets_gemini_responses_from_the_mock_model_streamed_or_not()
    {
        using var response = await Http.SendAsync(Post("support-fast:generateContent", Hello));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var streamed = await Http.SendAsync(Post("support-fast:streamGenerateContent?alt=sse", Hello));
        var frames = Frames(await streamed.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var candidate = answer["candidates"]![0]!;
        Assert.Contains("mock-fast-1", candidate["content"]!["parts"]![0]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("model", candidate["content"]!["role"]!.GetValue<string>());
        Assert.Equal("STOP", candidate["finishReason"]!.GetValue<string>());
        Assert.True(answer["usageMetadata"]!["promptTokenCount"]!.GetValue<long>() > 0);
        Assert.True(answer["usageMetadata"]!["candidatesTokenCount"]!.GetValue<long>() > 0);

        var text = string.Concat(frames.SelectMany(f => f["candidates"]![0]!["content"]!["parts"]!.AsArray()).Select(p => p!["text"]?.GetValue<string>()));
        Assert.Equal(candidate["content"]!["parts"]![0]!["text"]!.GetValue<string>(), text);
        Assert.Equal("STOP", frames[^1]["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.True(frames[^1]["usageMetadata"]!["candidatesTokenCount"]!.GetValue<long>() > 0);
        var rows = await _host.LedgerAsync(2);
        Assert.Equal(["gemini.generate_content", "gemini.stream_generate_content"], rows.Select(r => r.Endpoint).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_openai_stream_becomes_gemini_events_with_the_finish_reason_and_usage_in_the_last()
    {
        const string body = """
            {"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"hi"}]}],
             "generationConfig":{"maxOutputTokens":50,"temperature":0.2,"topP":0.9,"stopSequences":["END"]}}
            """;

        using var response = await Http.SendAsync(Post("upstream-chat:streamGenerateContent?alt=sse", body));
        var frames = Frames(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Hello from upstream", string.Concat(frames.SelectMany(f => f["candidates"]![0]!["content"]!["parts"]!.AsArray()).Select(p => p!["text"]!.GetValue<string>())));
        Assert.All(frames[..^1], f => Assert.Null(f["candidates"]![0]!["finishReason"]));
        var last = frames[^1];
        Assert.Equal("STOP", last["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.Equal(21, last["usageMetadata"]!["promptTokenCount"]!.GetValue<long>());
        Assert.Equal(3, last["usageMetadata"]!["candidatesTokenCount"]!.GetValue<long>());
        Assert.Equal(5, last["usageMetadata"]!["cachedContentTokenCount"]!.GetValue<long>());
        var sent = Assert.Single(_openAi.Received).Body;
        Assert.Equal("gpt-upstream-1", sent["model"]!.GetValue<string>());
        Assert.Equal("system", sent["messages"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("Be brief.", sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal("hi", sent["messages"]![1]!["content"]!.GetValue<string>());
        Assert.Equal(50, sent["max_tokens"]!.GetValue<long>());
        Assert.Equal(0.9, sent["top_p"]!.GetValue<double>());
        Assert.Equal("END", sent["stop"]![0]!.GetValue<string>());
        Assert.True(sent["stream"]!.GetValue<bool>());
        Assert.Equal(3, Assert.Single(await _host.LedgerAsync(1)).Tokens.OutputTokens);
    }

    [Fact]
    public async Task Function_calls_translate_both_ways_between_gemini_and_openai_formats()
    {
        _openAi.CallTool = "get_weather";
        using var response = await Http.SendAsync(Post("upstream-chat:generateContent", """
            {"tools":[{"functionDeclarations":[{"name":"get_weather","description":"Weather by city","parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}]}],
             "toolConfig":{"functionCallingConfig":{"mode":"ANY"}},
             "contents":[
               {"role":"user","parts":[{"text":"Weather in Lyon?"}]},
               {"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Lyon"}}}]},
               {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"temperature":"12 C"}}},{"text":"And Paris?"}]}]}
            """));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_openAi.Received).Body;
        var function = sent["tools"]![0]!["function"]!;
        Assert.Equal("get_weather", function["name"]!.GetValue<string>());
        Assert.Equal("object", function["parameters"]!["type"]!.GetValue<string>());
        Assert.Equal("string", function["parameters"]!["properties"]!["city"]!["type"]!.GetValue<string>());
        Assert.Equal("required", sent["tool_choice"]!.GetValue<string>());
        var call = sent["messages"]![1]!["tool_calls"]![0]!;
        Assert.Equal("{\"city\":\"Lyon\"}", call["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool", sent["messages"]![2]!["role"]!.GetValue<string>());
        Assert.Equal(call["id"]!.GetValue<string>(), sent["messages"]![2]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal("12 C", JsonNode.Parse(sent["messages"]![2]!["content"]!.GetValue<string>())!["temperature"]!.GetValue<string>());
        Assert.Equal("And Paris?", sent["messages"]![3]!["content"]!.GetValue<string>());
        var part = answer["candidates"]![0]!["content"]!["parts"]![0]!;
        Assert.Equal("get_weather", part["functionCall"]!["name"]!.GetValue<string>());
        Assert.Equal("Paris", part["functionCall"]!["args"]!["city"]!.GetValue<string>());
        Assert.Equal("STOP", answer["candidates"]![0]!["finishReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_prompt_gemini_blocks_reaches_an_openai_client_as_one_choice_ended_by_the_content_filter()
    {
        _gemini.BlockPrompt = true;
        var chat = _host.Chat("gemini-smart", _secret);

        var completion = (await chat.CompleteChatAsync([new UserChatMessage("Salut")])).Value;
        var finishes = new List<ChatFinishReason>();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Salut")]))
        {
            if (update.FinishReason is { } reason)
            {
                finishes.Add(reason);
            }
        }

        Assert.Equal(ChatFinishReason.ContentFilter, completion.FinishReason);
        Assert.Empty(completion.Content);
        Assert.Equal([ChatFinishReason.ContentFilter], finishes);
    }

    [Fact]
    public async Task The_openai_sdk_reaches_a_gemini_model_through_translation()
    {
        var chat = _host.Chat("gemini-smart", _secret);
        var completion = (await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Salut")])).Value;

        Assert.Equal("Hallo from Gemini", completion.Content[0].Text);
        Assert.Equal(25, completion.Usage.InputTokenCount);
        Assert.Equal(13, completion.Usage.OutputTokenCount);
        Assert.Equal(8, completion.Usage.OutputTokenDetails.ReasoningTokenCount);
        var (path, sent, headers) = Assert.Single(_gemini.Received);
        Assert.Equal("/v1beta/models/gemini-2.5-x:generateContent", path);
        Assert.Equal("Be brief.", sent["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal("user", sent["contents"]![0]!["role"]!.GetValue<string>());
        Assert.Equal("Salut", sent["contents"]![0]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Null(sent["model"]);
        Assert.Equal("AIza-gemini-secret", headers["x-goog-api-key"].ToString());

        var text = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Salut")]))
        {
            text.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        Assert.Equal("Hallo from Gemini", text.ToString());
        Assert.EndsWith(":streamGenerateContent?alt=sse", _gemini.Received.Last().Path, StringComparison.Ordinal);
        var rows = await _host.LedgerAsync(2);
        var streamed = Assert.Single(rows, r => r.Streamed);
        Assert.Equal("openai.chat_completions", streamed.Endpoint);
        Assert.Equal(25, streamed.Tokens.InputTokens);
        Assert.Equal(8, streamed.Tokens.OutputTokens);
    }

    [Fact]
    public async Task Openai_tool_calls_reach_a_gemini_model_as_function_parts_and_come_back_as_tool_calls()
    {
        _gemini.CallFunction = "get_weather";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/chat/completions"))
        {
            Content = new StringContent("""
                {"model":"gemini-smart","max_tokens":64,"tool_choice":"required",
                 "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}],
                 "messages":[{"role":"user","content":"Weather in Lyon?"},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_9","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}}]},
                   {"role":"tool","tool_call_id":"call_9","content":"12 C"}]}
                """, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);

        using var response = await Http.SendAsync(request);
        var completion = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_gemini.Received).Body;
        Assert.Equal("get_weather", sent["tools"]![0]!["functionDeclarations"]![0]!["name"]!.GetValue<string>());
        Assert.Equal("object", sent["tools"]![0]!["functionDeclarations"]![0]!["parametersJsonSchema"]!["type"]!.GetValue<string>());
        Assert.Equal("ANY", sent["toolConfig"]!["functionCallingConfig"]!["mode"]!.GetValue<string>());
        Assert.Equal(64, sent["generationConfig"]!["maxOutputTokens"]!.GetValue<long>());
        var modelTurn = sent["contents"]![1]!;
        Assert.Equal("model", modelTurn["role"]!.GetValue<string>());
        Assert.Equal("get_weather", modelTurn["parts"]![0]!["functionCall"]!["name"]!.GetValue<string>());
        Assert.Equal("Lyon", modelTurn["parts"]![0]!["functionCall"]!["args"]!["city"]!.GetValue<string>());
        Assert.Equal("skip_thought_signature_validator", modelTurn["parts"]![0]!["thoughtSignature"]!.GetValue<string>());
        var result = sent["contents"]![2]!;
        Assert.Equal("user", result["role"]!.GetValue<string>());
        Assert.Equal("get_weather", result["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>());
        Assert.Equal("12 C", result["parts"]![0]!["functionResponse"]!["response"]!["result"]!.GetValue<string>());
        var choice = completion["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("get_weather", choice["message"]!["tool_calls"]![0]!["function"]!["name"]!.GetValue<string>());
        Assert.Equal("Paris", JsonNode.Parse(choice["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>())!["city"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_gemini_client_reaches_an_anthropic_model_and_the_anthropic_sdk_a_gemini_model()
    {
        using var response = await Http.SendAsync(Post("claude-smart:generateContent", Hello));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var message = await _host.Anthropic(_secret).Messages.Create(new MessageCreateParams
        {
            Model = "gemini-smart",
            MaxTokens = 100,
            Messages = [new() { Role = Role.User, Content = "Hello there" }],
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Bonjour from Anthropic", answer["candidates"]![0]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(42, answer["usageMetadata"]!["promptTokenCount"]!.GetValue<long>());
        Assert.Equal(10, answer["usageMetadata"]!["cachedContentTokenCount"]!.GetValue<long>());
        Assert.Equal(4096, Assert.Single(_anthropic.Received).Body["max_tokens"]!.GetValue<long>());
        Assert.True(message.Content[0].TryPickText(out var text));
        Assert.Equal("Hallo from Gemini", text!.Text);
        Assert.Equal(100, Assert.Single(_gemini.Received).Body["generationConfig"]!["maxOutputTokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Count_tokens_answers_the_estimate_without_calling_a_provider_and_records_a_free_row()
    {
        using var response = await Http.SendAsync(Post("gemini-smart:countTokens", Hello));
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        using var wrapped = await Http.SendAsync(Post("gemini-smart:countTokens", $$"""{"generateContentRequest":{"model":"models/gemini-smart",{{Hello[1..]}}}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tokens = answer["totalTokens"]!.GetValue<long>();
        Assert.True(tokens > 0);
        Assert.Equal(tokens, JsonNode.Parse(await wrapped.Content.ReadAsStringAsync())!["totalTokens"]!.GetValue<long>());
        Assert.Empty(_gemini.Received);
        var rows = await _host.LedgerAsync(2);
        Assert.All(rows, row =>
        {
            Assert.Equal("gemini.count_tokens", row.Endpoint);
            Assert.Equal(200, row.HttpStatus);
            Assert.Equal(0, row.Tokens.TotalTokens);
            Assert.Equal(0m, row.Cost);
        });
    }

    [Fact]
    public async Task Refusals_reach_gemini_clients_in_googles_error_shape()
    {
        await _host.Seed.AddBudgetAsync(LimitScope.User, _host.Seed.User.Id, 0.0000001m, "user-tiny", PeriodKind.Lifetime);
        using var unknownKey = await Http.SendAsync(Post("gemini-smart:generateContent", Hello, "odk-nobodyhasthiskeynobodyhasthiskey0000000"));
        using var unknownModel = await Http.SendAsync(Post("no-such-model:generateContent", Hello));
        using var unknownMethod = await Http.SendAsync(Post("gemini-smart:predict", Hello));
        using var spent = await Http.SendAsync(Post("gemini-smart:generateContent", Hello));

        await AssertGoogleErrorAsync(unknownKey, 401, "UNAUTHENTICATED", "INVALID_API_KEY");
        await AssertGoogleErrorAsync(unknownModel, 404, "NOT_FOUND", "MODEL_NOT_FOUND");
        await AssertGoogleErrorAsync(unknownMethod, 404, "NOT_FOUND", "METHOD_NOT_FOUND");
        var budget = await AssertGoogleErrorAsync(spent, 402, "RESOURCE_EXHAUSTED", "BUDGET_EXCEEDED");
        Assert.Equal("budget_exceeded", budget["details"]![0]!["metadata"]!["code"]!.GetValue<string>());
        Assert.Empty(_gemini.Received);
    }

    [Fact]
    public async Task Provider_refusals_pass_through_to_gemini_clients_and_reach_others_in_their_shape()
    {
        _gemini.FailWith = 400;
        using var native = await Http.SendAsync(Post("gemini-smart:generateContent", Hello));
        var openAi = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat("gemini-smart", _secret).CompleteChatAsync([new UserChatMessage("hi")]));
        _gemini.FailWith = 500;
        using var failed = await Http.SendAsync(Post("gemini-smart:generateContent", Hello));

        Assert.Equal(HttpStatusCode.BadRequest, native.StatusCode);
        Assert.Equal("gemini says no", JsonNode.Parse(await native.Content.ReadAsStringAsync())!["error"]!["message"]!.GetValue<string>());
        Assert.Equal(400, openAi.Status);
        Assert.Contains("gemini says no", openAi.Message, StringComparison.Ordinal);
        await AssertGoogleErrorAsync(failed, 502, "UNAVAILABLE", "UPSTREAM_ERROR");
    }

    [Fact]
    public async Task Parts_and_tools_only_gemini_understands_reach_a_gemini_model_and_are_refused_for_other_providers()
    {
        const string body = """{"contents":[{"role":"user","parts":[{"text":"Summarise"},{"fileData":{"mimeType":"application/pdf","fileUri":"https://generativelanguage.googleapis.com/v1beta/files/abc"}}]}]}""";

        const string search = """{"tools":[{"googleSearch":{}}],"contents":[{"role":"user","parts":[{"text":"News?"}]}]}""";

        using var native = await Http.SendAsync(Post("gemini-smart:generateContent", body));
        using var translated = await Http.SendAsync(Post("support-fast:generateContent", body));
        using var searched = await Http.SendAsync(Post("upstream-chat:generateContent", search));

        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        Assert.Equal("application/pdf", Assert.Single(_gemini.Received).Body["contents"]![0]!["parts"]![1]!["fileData"]!["mimeType"]!.GetValue<string>());
        var error = await AssertGoogleErrorAsync(translated, 400, "INVALID_ARGUMENT", "INVALID_REQUEST_ERROR");
        Assert.Contains("fileData", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("only Gemini models", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var tool = await AssertGoogleErrorAsync(searched, 400, "INVALID_ARGUMENT", "INVALID_REQUEST_ERROR");
        Assert.Contains("googleSearch", tool["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_openAi.Received);
    }

    [Theory]
    [InlineData("gemini-smart:generateContent", "{oops", "Invalid JSON")]
    [InlineData("gemini-smart:generateContent", "{}", "contents")]
    [InlineData("gemini-smart:generateContent", """{"contents":[{"role":"system","parts":[{"text":"hi"}]}]}""", "role")]
    [InlineData("gemini-smart:generateContent", """{"contents":[{"role":"user","parts":[{"text":5}]}]}""", "wrong type")]
    [InlineData("gemini-smart:generateContent", """{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"maxOutputTokens":"lots"}}""", "maxOutputTokens")]
    public async Task Malformed_requests_get_400_invalid_argument_in_googles_shape(string path, string body, string mentions)
    {
        using var response = await Http.SendAsync(Post(path, body));

        var error = await AssertGoogleErrorAsync(response, 400, "INVALID_ARGUMENT", "INVALID_REQUEST_ERROR");
        Assert.Contains(mentions, error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_gemini.Received);
    }

    private static async Task<JsonNode> AssertGoogleErrorAsync(HttpResponseMessage response, int status, string googleStatus, string reason)
    {
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(status, error["code"]!.GetValue<int>());
        Assert.Equal(googleStatus, error["status"]!.GetValue<string>());
        Assert.Equal(reason, error["details"]![0]!["reason"]!.GetValue<string>());
        return error;
    }

    private static JsonNode[] Frames(string body) =>
        body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => JsonNode.Parse(l["data: ".Length..])!).ToArray();

    private HttpRequestMessage Post(string modelAndMethod, string body, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1beta/models/" + modelAndMethod))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", secret ?? _secret);
        return request;
    }
}
