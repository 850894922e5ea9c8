using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI.Chat;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Domain.Periods;
using Odock.Domain.Policies;
using Odock.Domain.Providers;
using Odock.Grains.Budgets;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>/v1/chat/completions</c> through full governance, driven by the official OpenAI .NET SDK (and raw HTTP where the
/// SDK hides what is being checked), against the built-in mock provider and a real OpenAI-compatible server on loopback.
/// </summary>
public sealed class ChatCompletionsTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, CachedInputPerMillion = 0.5m, OutputPerMillion = 8m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;
    private FakeOpenAiUpstream _upstream = null!;
    private string _secret = "";
    private Model _mockModel = null!;

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "upstream-chat", NotGranted: "not-granted"));
        (_host, _secret, _upstream, _mockModel) = (_gateway.Host, _gateway.Secret, _gateway.OpenAi, _gateway.Models["support-fast"]);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task The_openai_sdk_gets_a_completion_and_the_call_is_charged_and_recorded()
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.Organisation, _host.Seed.Organisation.Id, 10m, "org-monthly");
        var result = await _host.Chat("support-fast", _secret).CompleteChatAsync([new UserChatMessage("Hello, who are you?")]);

        var completion = result.Value;
        Assert.Contains("mock", completion.Content[0].Text, StringComparison.Ordinal);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-request-id", out var requestId));
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-odock-overhead-ms", out _));

        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(requestId, row.RequestId);
        Assert.Equal(200, row.HttpStatus);
        Assert.Equal("support-fast", row.RequestedModel);
        Assert.Equal("mock-fast-1", row.UpstreamSlug);
        Assert.Equal(completion.Usage.InputTokenCount, row.Tokens.InputTokens);
        Assert.Equal(completion.Usage.OutputTokenCount, row.Tokens.OutputTokens);
        var expected = Pricing.Cost(new TokenUsage { InputTokens = completion.Usage.InputTokenCount, OutputTokens = completion.Usage.OutputTokenCount }).Total;
        Assert.Equal(expected, row.Cost);
        var status = await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(expected, status.Settled);
        Assert.Equal(0m, status.Open);
    }

    [Fact]
    public async Task The_client_has_its_answer_before_the_bookkeeping_after_it_is_done()
    {
        // A ledger queue of one row whose writer does not run yet: the second request's row waits for room, and with it
        // the end of that request's handler (on a cluster, the settlement's round trip sits in the same place).
        var held = 0;
        await using var gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"), services: services =>
        {
            services.Replace(ServiceDescriptor.Singleton(new Storage.Ledger.LedgerOptions { Capacity = 1, EnqueueTimeout = TimeSpan.FromMinutes(10) }));
            foreach (var writer in services.Where(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService)
                && d.ImplementationFactory?.GetType().GenericTypeArguments is [_, var made] && made == typeof(Storage.Ledger.LedgerWriter)).ToList())
            {
                services.Remove(writer);
                held++;
            }
        });
        Assert.Equal(1, held);
        var chat = gateway.Host.Chat("support-fast", gateway.Secret);

        var first = await chat.CompleteChatAsync([new UserChatMessage("First question")]);
        // Bounded only so that a regression fails instead of hanging; it answers in milliseconds.
        var second = await chat.CompleteChatAsync([new UserChatMessage("Second question")]).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Contains("mock", first.Value.Content[0].Text, StringComparison.Ordinal);
        Assert.Contains("mock", second.Value.Content[0].Text, StringComparison.Ordinal);
        await gateway.Host.Services.GetRequiredService<Storage.Ledger.LedgerWriter>().StartAsync(CancellationToken.None);
        var rows = await gateway.Host.LedgerAsync(2);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, row => Assert.Equal(200, row.HttpStatus));
    }

    [Fact]
    public async Task A_large_answer_from_an_openai_compatible_server_arrives_whole_and_is_charged()
    {
        // Far past the first buffer the answer is read into, sent without a length (chunked), with multi-byte text.
        _upstream.Reply = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"line {i}: café ✓\n"));

        var result = await _host.Chat("upstream-chat", _secret).CompleteChatAsync([new UserChatMessage("Write a long answer")]);

        Assert.Equal(_upstream.Reply, result.Value.Content[0].Text);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(200, row.HttpStatus);
        Assert.Equal(21, row.Tokens.InputTokens);
        Assert.Equal(3, row.Tokens.OutputTokens);
    }

    [Fact]
    public async Task A_stream_from_an_openai_compatible_server_is_relayed_and_charged_from_the_providers_usage()
    {
        var updates = new List<StreamingChatCompletionUpdate>();
        await foreach (var update in _host.Chat("upstream-chat", _secret).CompleteChatStreamingAsync([new UserChatMessage("Say hello")]))
        {
            updates.Add(update);
        }

        Assert.Equal("Hello from upstream", string.Concat(updates.SelectMany(u => u.ContentUpdate).Select(p => p.Text)));
        var (sent, authorization) = Assert.Single(_upstream.Received);
        Assert.Equal("gpt-upstream-1", sent["model"]!.GetValue<string>());
        Assert.Equal("Bearer sk-upstream-secret", authorization);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.True(row.Streamed);
        Assert.NotNull(row.TimeToFirstTokenMs);
        Assert.False(row.TokensEstimated);
        Assert.False(row.ClientDisconnected);
        Assert.Null(row.ErrorClass);
        Assert.Equal(21, row.Tokens.InputTokens);
        Assert.Equal(5, row.Tokens.CachedInputTokens);
        Assert.Equal(3, row.Tokens.OutputTokens);
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = 21, CachedInputTokens = 5, OutputTokens = 3 }).Total, row.Cost);

        // 16 uncached input tokens at 2 per million, 5 cached at 0.5, 3 output at 8: together the row's cost, 0.0000585.
        Assert.Equal("""{"currency":"USD","input":0.000032,"cached_input":0.0000025,"output":0.000024}""", row.CostBreakdownJson);
    }

    [Fact]
    public async Task Usage_is_asked_of_the_provider_but_not_shown_to_a_streaming_client_that_did_not_ask()
    {
        using var request = Post(_secret, """{"model":"upstream-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}""");
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.DoesNotContain("\"usage\"", body, StringComparison.Ordinal);
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        Assert.True(Assert.Single(_upstream.Received).Body["stream_options"]!["include_usage"]!.GetValue<bool>());
        Assert.Equal(3, Assert.Single(await _host.LedgerAsync(1)).Tokens.OutputTokens);
    }

    [Fact]
    public async Task The_provider_gets_the_clients_fields_as_spelled_with_its_own_model_name_and_usage_asked_for()
    {
        const string body = """{"model":"upstream-chat","stream":true,"temperature":1.0,"stream_options":{"include_obfuscation":false},"user":"Grüße aus 東京","messages":[{"role":"user","content":"Say \"hi\" in 日本語"}],"max_tokens":null}""";
        using var response = await Http.SendAsync(Post(_secret, body));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("\"usage\"", answer, StringComparison.Ordinal);
        var sent = Assert.Single(_upstream.ReceivedText);
        // Each value leaves as the client spelled it: no escaping of what was not escaped, no number rewritten.
        Assert.Contains("\"temperature\":1.0,", sent, StringComparison.Ordinal);
        Assert.Contains("\"user\":\"Grüße aus 東京\"", sent, StringComparison.Ordinal);
        Assert.Contains("\"content\":\"Say \\\"hi\\\" in 日本語\"", sent, StringComparison.Ordinal);
        var fields = JsonDocument.Parse(sent).RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["model", "stream", "temperature", "stream_options", "user", "messages", "max_tokens"], fields);
        var (received, _) = Assert.Single(_upstream.Received);
        Assert.Equal("gpt-upstream-1", received["model"]!.GetValue<string>());
        Assert.False(received["stream_options"]!["include_obfuscation"]!.GetValue<bool>());
        Assert.True(received["stream_options"]!["include_usage"]!.GetValue<bool>());
        // A null limit is no limit: the provider gets the one reserved.
        Assert.Equal(new GatewayOptions().DefaultMaxOutputTokens, received["max_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task No_limit_the_body_names_passes_the_one_reserved()
    {
        // The first named limit is what is reserved; the other, higher, would let a provider that reads it bill more.
        using var response = await Http.SendAsync(Post(_secret, """{"model":"upstream-chat","max_completion_tokens":5,"max_tokens":5000,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (received, _) = Assert.Single(_upstream.Received);
        Assert.Equal(5, received["max_completion_tokens"]!.GetValue<long>());
        Assert.Equal(5, received["max_tokens"]!.GetValue<long>());
    }

    [Fact]
    public async Task Tool_definitions_response_schemas_and_images_count_in_the_input_estimate()
    {
        // The mock reports the gateway's input estimate as its input usage, so the estimate is what the client sees.
        const string tools = """[{"type":"function","function":{"name":"get_weather","description":"The current weather in a city, with temperature, wind and the chance of rain for the next hours","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";
        const string schema = """{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"summary":{"type":"string"},"confidence":{"type":"number"}}}}}""";
        const string image = """{"type":"image_url","image_url":{"url":"https://example.invalid/cat.png"}}""";
        var plain = await InputTokensAsync("""{"model":"support-fast","messages":[{"role":"user","content":[{"type":"text","text":"What now?"}]}]}""");
        var withTools = await InputTokensAsync($$"""{"model":"support-fast","tools":{{tools}},"messages":[{"role":"user","content":[{"type":"text","text":"What now?"}]}]}""");
        var withSchema = await InputTokensAsync($$"""{"model":"support-fast","response_format":{{schema}},"messages":[{"role":"user","content":[{"type":"text","text":"What now?"}]}]}""");
        var withImage = await InputTokensAsync($$"""{"model":"support-fast","messages":[{"role":"user","content":[{"type":"text","text":"What now?"},{{image}}]}]}""");

        Assert.InRange(withTools - plain, tools.Length / 4, (tools.Length / 4) + 1);
        Assert.InRange(withSchema - plain, schema.Length / 4, (schema.Length / 4) + 1);
        Assert.Equal(765, withImage - plain);
    }

    [Fact]
    public async Task A_text_counts_the_same_in_the_input_estimate_whether_its_client_escapes_it_or_not()
    {
        // Python's json module spells every non-ASCII character as \uXXXX; JavaScript's sends it as UTF-8.
        const string text = "東京の天気は今日どうですか。大阪と比べて教えてください。";
        var escaped = string.Concat(text.Select(c => $"\\u{(int)c:x4}"));
        var asSent = await InputTokensAsync($$"""{"model":"support-fast","messages":[{"role":"user","content":"{{text}}"}]}""");
        var asEscaped = await InputTokensAsync($$"""{"model":"support-fast","messages":[{"role":"user","content":"{{escaped}}"}]}""");
        var inParts = await InputTokensAsync($$"""{"model":"support-fast","messages":[{"role":"user","content":[{"type":"text","text":"{{escaped}}"}]}]}""");

        Assert.Equal(asSent, asEscaped);
        Assert.Equal(asSent, inParts);
    }

    private async Task<long> InputTokensAsync(string body)
    {
        using var response = await Http.SendAsync(Post(_secret, body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt64();
    }

    [Theory]
    [InlineData("odk-thiskeydoesnotexistthiskeydoesnotexist123", "support-fast", 401, "invalid_api_key")]
    [InlineData(null, "no-such-model", 404, "model_not_found")]
    [InlineData(null, "not-granted", 403, "model_not_allowed")]
    public async Task Refusals_reach_the_sdk_as_its_own_exceptions_with_the_right_status(string? secret, string model, int status, string code)
    {
        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat(model, secret ?? _secret).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(status, failure.Status);
        using var error = JsonDocument.Parse(failure.GetRawResponse()!.Content.ToString());
        Assert.Equal(code, error.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Model_names_match_exactly_and_disabling_a_model_or_its_provider_reaches_the_gateway()
    {
        var provider = await _host.Seed.AddProviderAsync("mock-toggled", ProviderType.Mock, baseUrl: null);
        var model = await _host.Seed.AddModelAsync("toggled", ResourcePolicy.None, provider, "mock-toggled-1", Pricing);
        var (secret, _) = await _host.Seed.AddKeyAsync(name: "toggler", modelGrants: [model.Id]);
        await RefreshCatalogAsync();
        Assert.Equal((200, null), await OutcomeAsync(secret, "toggled"));
        Assert.Equal((404, "model_not_found"), await OutcomeAsync(secret, "Toggled"));

        await using (var session = await _host.Seed.Store.OpenAsync())
        {
            await session.Providers.UpdateAsync(provider with { Enabled = false });
        }

        await RefreshCatalogAsync();
        Assert.Equal((501, "provider_not_supported"), await EventuallyAsync(secret, "toggled", 501));

        await using (var session = await _host.Seed.Store.OpenAsync())
        {
            await session.Providers.UpdateAsync(provider);
            await session.Models.UpdateAsync(model with { Enabled = false });
        }

        await RefreshCatalogAsync();
        Assert.Equal((404, "model_not_found"), await EventuallyAsync(secret, "toggled", 404));
    }

    private async Task RefreshCatalogAsync() => await _host.Grains.Get<IOrgCatalogGrain>(_host.Seed.Organisation.Id.ToString()).Refresh();

    /// <summary>The status and error code of a chat request, once the gateway's cached catalog has caught up (50 ms here).</summary>
    private async Task<(int Status, string? Code)> EventuallyAsync(string secret, string model, int status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var outcome = await OutcomeAsync(secret, model);
            if (outcome.Status == status || DateTime.UtcNow > deadline)
            {
                return outcome;
            }

            await Task.Delay(20);
        }
    }

    private async Task<(int Status, string? Code)> OutcomeAsync(string secret, string model)
    {
        using var response = await Http.SendAsync(Post(secret, $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}"""));
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? ((int)response.StatusCode, null)
            : ((int)response.StatusCode, JsonDocument.Parse(text).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_spent_budget_answers_402_before_anything_reaches_the_provider_and_is_recorded()
    {
        await _host.Seed.AddBudgetAsync(LimitScope.Team, _host.Seed.Team.Id, 0.000001m, "team-tiny", PeriodKind.Lifetime);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat("upstream-chat", _secret).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(402, failure.Status);
        Assert.Empty(_upstream.Received);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(402, row.HttpStatus);
        Assert.Equal("budget_exceeded", row.ErrorCode);
        Assert.Equal(UsageErrorClass.Limit, row.ErrorClass);
        Assert.Null(row.TimeToFirstTokenMs);
        Assert.Equal(0m, row.Cost);
    }

    [Fact]
    public async Task A_rate_limited_key_gets_429_with_retry_after()
    {
        var (limited, _) = await _host.Seed.AddKeyAsync(new ResourcePolicy { RequestsPerMinute = 1 }, "limited", modelGrants: [_mockModel.Id]);
        await _host.Chat("support-fast", limited).CompleteChatAsync([new UserChatMessage("one")]);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat("support-fast", limited).CompleteChatAsync([new UserChatMessage("two")]));

        Assert.Equal(429, failure.Status);
        Assert.True(failure.GetRawResponse()!.Headers.TryGetValue("Retry-After", out var retryAfter));
        Assert.InRange(int.Parse(retryAfter!, System.Globalization.CultureInfo.InvariantCulture), 1, 60);
    }

    [Fact]
    public async Task A_models_own_rate_limit_counts_every_key_and_a_model_without_one_is_not_limited()
    {
        var mock = await _host.Seed.AddProviderAsync("limited-provider", ProviderType.Mock, null);
        var limitedModel = await _host.Seed.AddModelAsync("one-a-minute", new ResourcePolicy { RequestsPerMinute = 1 }, mock, "mock-limited-1", Pricing);
        var (first, _) = await _host.Seed.AddKeyAsync(name: "first", modelGrants: [limitedModel.Id, _mockModel.Id]);
        var (second, _) = await _host.Seed.AddKeyAsync(name: "second", modelGrants: [limitedModel.Id]);
        await _host.Chat("one-a-minute", first).CompleteChatAsync([new UserChatMessage("one")]);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat("one-a-minute", second).CompleteChatAsync([new UserChatMessage("two")]));
        for (var i = 0; i < 3; i++)
        {
            await _host.Chat("support-fast", first).CompleteChatAsync([new UserChatMessage("unlimited")]);
        }

        Assert.Equal(429, failure.Status);
        Assert.Contains("one-a-minute", failure.Message, StringComparison.Ordinal);
        var rows = await _host.LedgerAsync(5);
        Assert.Equal(1, rows.Count(r => r.HttpStatus == 429 && r.RequestedModel == "one-a-minute"));
        Assert.Equal(4, rows.Count(r => r.HttpStatus == 200));
    }

    [Fact]
    public async Task Provider_failures_become_502_and_provider_client_errors_pass_through_in_the_same_shape()
    {
        _upstream.FailWith = 500;
        var serverError = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat("upstream-chat", _secret).CompleteChatAsync([new UserChatMessage("hi")]));
        _upstream.FailWith = 400;
        var clientError = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat("upstream-chat", _secret).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(502, serverError.Status);
        Assert.Equal(400, clientError.Status);
        Assert.Contains("upstream says no", clientError.Message, StringComparison.Ordinal);
        var rows = await _host.LedgerAsync(2);
        Assert.Equal(new[] { 400, 502 }, rows.Select(r => r.HttpStatus).Order());
    }

    [Fact]
    public async Task A_client_that_goes_away_cancels_the_upstream_call_frees_its_reservation_and_is_still_recorded()
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.ApiKey, (await KeyIdAsync()), 10m, "key-monthly");
        _upstream.Stall = TimeSpan.FromSeconds(30);
        using var cancel = new CancellationTokenSource();
        var call = Http.SendAsync(Post(_secret, """{"model":"upstream-chat","messages":[{"role":"user","content":"hi"}]}"""), cancel.Token);
        await WaitUntilAsync(() => !_upstream.Received.IsEmpty);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(499, row.HttpStatus);
        Assert.Equal("client_disconnected", row.ErrorCode);
        Assert.Equal(UsageErrorClass.ClientDisconnected, row.ErrorClass);
        Assert.True(row.ClientDisconnected);
        Assert.True(row.TokensEstimated);
        var status = await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(0m, status.Open);
        Assert.Equal(row.Cost, status.Settled);
    }

    [Theory]
    [InlineData("Grüße aus Köln ✓✓✓", 5)] // 18 characters in 27 UTF-8 bytes
    [InlineData("line one\nline \"two\"", 5)] // 19 characters, 22 bytes as JSON escapes them
    public async Task A_client_that_leaves_a_stream_is_charged_the_characters_it_was_sent(string piece, long outputTokens)
    {
        _upstream.StreamPieces = [piece, " and more"];
        _upstream.BreakStreamWhen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (var response = await Http.SendAsync(Post(_secret, """{"model":"upstream-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}"""), HttpCompletionOption.ResponseHeadersRead))
        {
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
            var line = await reader.ReadLineAsync();
            while (line?.StartsWith("data: ", StringComparison.Ordinal) == false)
            {
                line = await reader.ReadLineAsync();
            }

            // As the provider spelled it: the first piece's characters in UTF-8, the second's escapes.
            Assert.Contains(JsonSerializer.Serialize(piece, FakeOpenAiUpstream.EventJson)[1..^1], line, StringComparison.Ordinal);
        }

        try
        {
            var row = Assert.Single(await _host.LedgerAsync(1));
            Assert.Equal((499, "client_disconnected", true), (row.HttpStatus, row.ErrorCode, row.TokensEstimated));
            Assert.Equal(outputTokens, row.Tokens.OutputTokens);
        }
        finally
        {
            _upstream.BreakStreamWhen.SetResult();
        }
    }

    [Fact]
    public async Task A_provider_that_breaks_off_a_started_stream_is_recorded_as_502_and_charged_the_input_estimate()
    {
        var budget = await _host.Seed.AddBudgetAsync(LimitScope.ApiKey, (await KeyIdAsync()), 10m, "key-monthly");
        _upstream.BreakStreamWhen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var response = await Http.SendAsync(Post(_secret, """{"model":"upstream-chat","stream":true,"messages":[{"role":"user","content":"hi"}]}"""), HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var line = await reader.ReadLineAsync();
        while (line?.StartsWith("data: ", StringComparison.Ordinal) == false)
        {
            line = await reader.ReadLineAsync();
        }

        _upstream.BreakStreamWhen.SetResult();
        await reader.ReadToEndAsync();

        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(502, row.HttpStatus);
        Assert.Equal("upstream_stream_broken", row.ErrorCode);
        Assert.True(row.Tokens.InputTokens > 0);
        Assert.Equal(0, row.Tokens.OutputTokens);
        Assert.Equal(Pricing.Cost(new TokenUsage { InputTokens = row.Tokens.InputTokens }).Total, row.Cost);
        var status = await _host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status();
        Assert.Equal(0m, status.Open);
        Assert.Equal(row.Cost, status.Settled);
    }

    [Fact]
    public async Task The_usage_charged_is_the_answers_own_not_a_usage_field_inside_its_content()
    {
        // A "usage" inside a choice (a tool's result, a model's JSON) comes first and says more than the real one.
        _upstream.RawAnswer = """{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"ok","metadata":{"usage":{"prompt_tokens":900,"completion_tokens":900}}},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":4,"total_tokens":16,"completion_tokens_details":{"reasoning_tokens":2}}}""";
        using var response = await Http.SendAsync(Post(_secret, """{"model":"upstream-chat","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_upstream.RawAnswer, await response.Content.ReadAsStringAsync());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(12, row.Tokens.InputTokens);
        Assert.Equal(4, row.Tokens.OutputTokens);
        Assert.Equal(2, row.Tokens.ReasoningTokens);
        Assert.False(row.TokensEstimated);
    }

    [Theory]
    [InlineData("""{"id":"chatcmpl-1","choices":[],"usage":{"prompt_tokens":12,"completion_tokens":4}} and more""")]
    [InlineData("""{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"cut of""")]
    [InlineData("")]
    public async Task An_answer_that_is_not_one_json_value_is_a_502_and_recorded(string answer)
    {
        _upstream.RawAnswer = answer;
        using var response = await Http.SendAsync(Post(_secret, """{"model":"upstream-chat","messages":[{"role":"user","content":"hi"}]}"""));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("upstream_invalid_response", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(502, row.HttpStatus);
    }

    [Fact]
    public async Task A_provider_that_does_not_answer_in_time_gets_504()
    {
        await using var gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, OpenAiCompatible: "upstream-chat"),
            new GatewayOptions { UpstreamTimeout = TimeSpan.FromMilliseconds(300), CatalogRevalidation = TimeSpan.FromMilliseconds(50) });
        var (host, secret) = (gateway.Host, gateway.Secret);
        gateway.OpenAi.Stall = TimeSpan.FromSeconds(5);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => host.Chat("upstream-chat", secret).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(504, failure.Status);
        Assert.Equal("upstream_timeout", Assert.Single(await host.LedgerAsync(1)).ErrorCode);
    }

    [Fact]
    public async Task A_provider_that_stalls_in_the_middle_of_its_error_body_gets_504()
    {
        await using var gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, OpenAiCompatible: "upstream-chat"),
            new GatewayOptions { UpstreamTimeout = TimeSpan.FromMilliseconds(300), CatalogRevalidation = TimeSpan.FromMilliseconds(50) });
        var (host, secret) = (gateway.Host, gateway.Secret);
        gateway.OpenAi.FailWith = 429;
        gateway.OpenAi.StallErrorBody = TimeSpan.FromSeconds(5);

        var failure = await Assert.ThrowsAsync<ClientResultException>(() => host.Chat("upstream-chat", secret).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(504, failure.Status);
        Assert.Equal("upstream_timeout", Assert.Single(await host.LedgerAsync(1)).ErrorCode);
    }

    [Theory]
    [InlineData("{not json", null)]
    [InlineData("[1,2,3]", null)]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model")]
    [InlineData("""{"model":"support-fast","messages":[]}""", "messages")]
    [InlineData("""{"model":"support-fast","messages":[{"role":"user","content":"hi"}],"max_tokens":"lots"}""", "max_tokens")]
    [InlineData("""{"model":"support-fast","messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", "stream")]
    [InlineData("""{"model":"support-fast","model":"upstream-chat","messages":[{"role":"user","content":"hi"}]}""", null)]
    public async Task Malformed_bodies_get_400_in_openais_error_shape_naming_the_field(string body, string? param)
    {
        using var response = await Http.SendAsync(Post(_secret, body));
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = error.RootElement.GetProperty("error");
        Assert.Equal("invalid_request_error", detail.GetProperty("type").GetString());
        Assert.Equal(param, detail.GetProperty("param").ValueKind == JsonValueKind.Null ? null : detail.GetProperty("param").GetString());
    }

    [Fact]
    public async Task The_model_list_shows_only_the_models_the_key_may_use()
    {
        var models = (await _host.OpenAi(_secret).GetOpenAIModelClient().GetModelsAsync()).Value;

        Assert.Equal(["support-fast", "upstream-chat"], models.Select(m => m.Id).Order(StringComparer.Ordinal));
    }

    private async Task<Guid> KeyIdAsync() => (await _host.KeyAsync(_secret)).Id;

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(10);
        }
    }

    private HttpRequestMessage Post(string secret, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, "/v1/chat/completions"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return request;
    }
}
