using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Periods;
using Odock.Domain.Policies;

namespace Odock.Gateway.Tests;

/// <summary>
/// A request that asks for several answers (OpenAI's <c>n</c>, Gemini's <c>candidateCount</c>, the legacy completions'
/// <c>n</c> and <c>best_of</c>) may be billed its output limit once for each, so its worst case reserves that many.
/// Before, it reserved one answer's worth, and a budget could be overspent by the rest.
/// </summary>
public sealed class ChoicesTests : IAsyncLifetime
{
    // One answer of 100,000 output tokens at 8 USD a million is 0.80 USD; the budget holds two, not three.
    private const long Limit = 100_000;
    private const decimal Budget = 2.0m;
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, OutputPerMillion = 8m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "upstream-chat", Anthropic: "claude-chat", Gemini: "gemini-chat"));

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"upstream-chat","max_tokens":100000,"n":3,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1beta/models/gemini-chat:generateContent", """{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"maxOutputTokens":100000,"candidateCount":3}}""")]
    [InlineData("/v1/completions", """{"model":"support-fast","prompt":"hi","max_tokens":100000,"n":1,"best_of":3}""")]
    public async Task Several_answers_reserve_the_output_limit_once_for_each(string path, string body)
    {
        await _gateway.Host.Seed.AddBudgetAsync(LimitScope.Team, _gateway.Host.Seed.Team.Id, Budget, "team-monthly", PeriodKind.Lifetime);

        // Three answers' worst case does not fit: refused before anything is sent, and recorded.
        using var refused = await Http.SendAsync(Post(path, body));
        Assert.Equal((HttpStatusCode)402, refused.StatusCode);
        Assert.Empty(_gateway.OpenAi.ReceivedText);
        Assert.Empty(_gateway.Gemini.Received);
        Assert.Equal("budget_exceeded", Assert.Single(await _gateway.Host.LedgerAsync(1)).ErrorCode);

        // One answer's does.
        var one = body.Replace("\"n\":3", "\"n\":1", StringComparison.Ordinal)
            .Replace("\"candidateCount\":3", "\"candidateCount\":1", StringComparison.Ordinal)
            .Replace("\"best_of\":3", "\"best_of\":1", StringComparison.Ordinal);
        using var served = await Http.SendAsync(Post(path, one));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task A_keys_limit_per_request_counts_every_answer_and_bounds_the_limit_sent_when_none_is_named()
    {
        var (secret, _) = await _gateway.Host.Seed.AddKeyAsync(new ResourcePolicy { MaxTokensPerRequest = 1000 }, "capped", modelGrants: [_gateway.Models["upstream-chat"].Id]);

        using var tooMuch = await Http.SendAsync(Post("/v1/chat/completions", """{"model":"upstream-chat","max_tokens":300,"n":4,"messages":[{"role":"user","content":"hi"}]}""", secret));
        using var error = JsonDocument.Parse(await tooMuch.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, tooMuch.StatusCode);
        Assert.Equal("max_tokens", error.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Contains("1200 (300 for each of 4 answers)", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);

        using var served = await Http.SendAsync(Post("/v1/chat/completions", """{"model":"upstream-chat","n":4,"messages":[{"role":"user","content":"hi"}]}""", secret));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var (sent, _) = Assert.Single(_gateway.OpenAi.Received);
        Assert.Equal(250, sent["max_tokens"]!.GetValue<long>());
        Assert.Equal(4, sent["n"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"upstream-chat","n":0,"messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("/v1/chat/completions", """{"model":"upstream-chat","n":129,"messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("/v1/chat/completions", """{"model":"upstream-chat","n":"2","messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("/v1/completions", """{"model":"support-fast","prompt":"hi","best_of":0}""", "best_of")]
    [InlineData("/v1beta/models/gemini-chat:generateContent", """{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"candidateCount":-1}}""", "generationConfig.candidateCount")]
    public Task A_count_of_answers_that_is_not_a_positive_integer_up_to_128_gets_400(string path, string body, string param) =>
        RefusedAsync(path, body, param);

    [Fact]
    public async Task A_limit_too_large_to_multiply_is_reserved_as_the_most_there_is_and_refused_by_any_budget()
    {
        await _gateway.Host.Seed.AddBudgetAsync(LimitScope.Team, _gateway.Host.Seed.Team.Id, 1_000_000m, "team-large", PeriodKind.Lifetime);

        using var response = await Http.SendAsync(Post("/v1/chat/completions", $$"""{"model":"upstream-chat","max_tokens":{{long.MaxValue / 2}},"n":3,"messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal((HttpStatusCode)402, response.StatusCode);
        Assert.Empty(_gateway.OpenAi.ReceivedText);
    }

    [Fact]
    public async Task A_batch_of_prompts_to_the_legacy_completions_reserves_each_prompts_answers()
    {
        await _gateway.Host.Seed.AddBudgetAsync(LimitScope.Team, _gateway.Host.Seed.Team.Id, Budget, "team-monthly", PeriodKind.Lifetime);

        using var refused = await Http.SendAsync(Post("/v1/completions", """{"model":"support-fast","prompt":["a","b","c"],"max_tokens":100000}"""));
        Assert.Equal((HttpStatusCode)402, refused.StatusCode);
        Assert.Equal("budget_exceeded", Assert.Single(await _gateway.Host.LedgerAsync(1)).ErrorCode);

        using var served = await Http.SendAsync(Post("/v1/completions", """{"model":"support-fast","prompt":["a","b"],"max_tokens":100000}"""));
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
    }

    [Fact]
    public async Task The_mock_provider_answers_n_times_for_each_prompt_and_bills_every_answer_generated()
    {
        using var one = await ReadAsync(Post("/v1/completions", """{"model":"support-fast","prompt":"hi","max_tokens":4}"""));
        using var batch = await ReadAsync(Post("/v1/completions", """{"model":"support-fast","prompt":["hi","hi"],"max_tokens":4,"n":2,"best_of":3}"""));

        var single = one.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt64();
        Assert.Equal(4, single);
        Assert.Equal([0, 1, 2, 3], batch.RootElement.GetProperty("choices").EnumerateArray().Select(c => c.GetProperty("index").GetInt32()));
        Assert.Equal(single * 2 * 3, batch.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt64());
        var rows = await _gateway.Host.LedgerAsync(2);
        Assert.Contains(rows, row => row.Tokens.OutputTokens == single * 6);
    }

    [Fact]
    public async Task The_mock_provider_streams_each_of_n_answers_under_its_own_index()
    {
        using var response = await Http.SendAsync(Post("/v1/chat/completions", """{"model":"support-fast","n":3,"max_tokens":2,"stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"hi"}]}"""));
        var chunks = (await response.Content.ReadAsStringAsync()).Split('\n')
            .Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line["data: ".Length..]).RootElement)
            .ToArray();

        var texts = new string[3];
        var finished = new string?[3];
        foreach (var choice in chunks.SelectMany(chunk => chunk.GetProperty("choices").EnumerateArray()))
        {
            var index = choice.GetProperty("index").GetInt32();
            texts[index] += choice.GetProperty("delta").TryGetProperty("content", out var content) ? content.GetString() : "";
            finished[index] = choice.GetProperty("finish_reason").GetString() ?? finished[index];
        }

        Assert.Equal(["This is", "This is", "This is"], texts);
        Assert.All(finished, reason => Assert.Equal("length", reason));
        Assert.Equal(6, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt64());
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"claude-chat","n":2,"messages":[{"role":"user","content":"hi"}]}""", "n")]
    [InlineData("/v1beta/models/claude-chat:generateContent", """{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"candidateCount":2}}""", "generationConfig.candidateCount")]
    public async Task Several_answers_to_an_anthropic_model_get_400_rather_than_one_answer_billed_for_several(string path, string body, string param)
    {
        Assert.Contains("Anthropic model", await RefusedAsync(path, body, param), StringComparison.Ordinal);
        Assert.Empty(_gateway.Anthropic.Received);

        using var one = await Http.SendAsync(Post(path, body.Replace("\"n\":2", "\"n\":1", StringComparison.Ordinal).Replace("\"candidateCount\":2", "\"candidateCount\":1", StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, one.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_openai_clients_n_reaches_a_gemini_model_as_candidate_count_and_every_candidate_comes_back_as_a_choice(bool stream)
    {
        var body = $$"""{"model":"gemini-chat","n":3,"max_tokens":10,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""";

        using var response = await Http.SendAsync(Post("/v1/chat/completions", body));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (_, sent, _) = Assert.Single(_gateway.Gemini.Received);
        Assert.Equal(3, sent["generationConfig"]!["candidateCount"]!.GetValue<int>());
        var texts = new string[3];
        var finished = new string?[3];
        var finishes = new int[3];
        var choices = stream
            ? answer.Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal))
                .SelectMany(line => JsonDocument.Parse(line["data: ".Length..]).RootElement.GetProperty("choices").EnumerateArray())
            : JsonDocument.Parse(answer).RootElement.GetProperty("choices").EnumerateArray();
        foreach (var choice in choices)
        {
            var index = choice.GetProperty("index").GetInt32();
            var content = choice.GetProperty(stream ? "delta" : "message").TryGetProperty("content", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : "";
            texts[index] += content;
            if (choice.GetProperty("finish_reason").GetString() is { } reason)
            {
                finished[index] = reason;
                finishes[index]++;
            }
        }

        Assert.All(texts, text => Assert.Equal("Hallo from Gemini", text));
        Assert.All(finished, reason => Assert.Equal("stop", reason));
        Assert.All(finishes, count => Assert.Equal(1, count));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_gemini_clients_candidate_count_reaches_an_openai_format_model_as_n_and_every_choice_comes_back_as_a_candidate(bool stream)
    {
        var method = stream ? "streamGenerateContent?alt=sse" : "generateContent";

        using var response = await Http.SendAsync(Post($"/v1beta/models/support-fast:{method}", """{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"candidateCount":3,"maxOutputTokens":2}}"""));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var texts = new string[3];
        var finished = new string?[3];
        var responses = stream
            ? answer.Split('\n').Where(line => line.StartsWith("data: {", StringComparison.Ordinal)).Select(line => JsonDocument.Parse(line["data: ".Length..]).RootElement)
            : [JsonDocument.Parse(answer).RootElement];
        foreach (var candidate in responses.SelectMany(r => r.GetProperty("candidates").EnumerateArray()))
        {
            var index = candidate.GetProperty("index").GetInt32();
            texts[index] += string.Concat(candidate.GetProperty("content").GetProperty("parts").EnumerateArray().Select(p => p.GetProperty("text").GetString()));
            finished[index] = candidate.TryGetProperty("finishReason", out var reason) ? reason.GetString() : finished[index];
        }

        Assert.All(texts, text => Assert.Equal("This is", text));
        Assert.All(finished, reason => Assert.Equal("MAX_TOKENS", reason));
        var row = Assert.Single(await _gateway.Host.LedgerAsync(1));
        Assert.Equal(6, row.Tokens.OutputTokens);

        // An OpenAI-format server is sent the count as its own n.
        using var forwarded = await Http.SendAsync(Post($"/v1beta/models/upstream-chat:{method}", """{"contents":[{"parts":[{"text":"hi"}]}],"generationConfig":{"candidateCount":3}}"""));
        Assert.Equal(HttpStatusCode.OK, forwarded.StatusCode);
        Assert.Equal(3, Assert.Single(_gateway.OpenAi.Received).Body["n"]!.GetValue<int>());
    }

    /// <summary>Asserts a 400 naming <paramref name="param"/> with nothing sent upstream, and gives the answer's text.</summary>
    private async Task<string> RefusedAsync(string path, string body, string param)
    {
        using var response = await Http.SendAsync(Post(path, body));
        var answer = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(param, answer, StringComparison.Ordinal);
        Assert.Empty(_gateway.OpenAi.ReceivedText);
        Assert.Empty(_gateway.Gemini.Received);
        return answer;
    }

    private static async Task<JsonDocument> ReadAsync(HttpRequestMessage request)
    {
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text);
    }

    private HttpRequestMessage Post(string path, string body, string? secret = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Host.Address, path)) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret ?? _gateway.Secret);
        return request;
    }
}
