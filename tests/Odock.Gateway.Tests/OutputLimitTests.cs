using System.Text;
using OpenAI.Chat;
using OpenAI.Responses;
using Odock.Domain.Budgets;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Providers;
using Odock.Grains.Budgets;

#pragma warning disable OPENAI001 // The Responses client is marked for evaluation in the official SDK; it is a client under test.

namespace Odock.Gateway.Tests;

/// <summary>
/// A chat call leaves Odock with the output limit its worst case reserved: the client's own, or the gateway's default
/// written into each provider's own field. Without it a provider generates until its own limit and the settled cost can
/// pass the reservation (docs/GOVERNANCE.md, "Budgets and quotas").
/// </summary>
public sealed class OutputLimitTests : IAsyncLifetime
{
    private const long Limit = 3;
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, OutputPerMillion = 8m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private FakeOpenAiUpstream _openAi = null!;
    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _openAi = await FakeOpenAiUpstream.StartAsync();
        _gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "upstream-chat", Anthropic: "claude-smart", Gemini: "gemini-smart"),
            new GatewayOptions { DefaultMaxOutputTokens = Limit },
            alsoGranted: async host => await host.Seed.AddModelAsync(
                "gpt-openai",
                ResourcePolicy.None,
                await host.Seed.AddProviderAsync("openai", ProviderType.OpenAi, _openAi.BaseUrl, "sk-openai-secret", host.Protector.Protect),
                "gpt-openai-1",
                Pricing));
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _openAi.DisposeAsync();
    }

    [Fact]
    public async Task A_reply_is_cut_at_the_reserved_output_so_its_charge_never_passes_the_reservation()
    {
        var host = _gateway.Host;
        var budget = await host.Seed.AddBudgetAsync(LimitScope.Organisation, host.Seed.Organisation.Id, 10m, "org-monthly");
        var completion = (await host.Chat("support-fast", _gateway.Secret).CompleteChatAsync([new UserChatMessage("Tell me everything.")])).Value;

        Assert.Equal(ChatFinishReason.Length, completion.FinishReason);
        Assert.Equal(Limit, completion.Usage.OutputTokenCount);
        var row = Assert.Single(await host.LedgerAsync(1));
        var worstCase = Pricing.Cost(new TokenUsage { InputTokens = row.Tokens.InputTokens, OutputTokens = Limit }).Total;
        Assert.Equal(worstCase, row.Cost);
        Assert.Equal(row.Cost, (await host.Grains.Get<IBudgetGrain>(budget.Id.ToString()).Status()).Settled);
    }

    [Fact]
    public async Task A_keys_and_a_models_max_tokens_per_request_lower_the_limit_sent_and_refuse_a_request_asking_more()
    {
        var host = _gateway.Host;
        var (cappedKey, _) = await host.Seed.AddKeyAsync(limits: new ResourcePolicy { MaxTokensPerRequest = 2 }, name: "capped", modelGrants: [_gateway.Models["upstream-chat"].Id]);
        var mock = await host.Seed.AddProviderAsync("offline-short", ProviderType.Mock, null);
        var shortModel = await host.Seed.AddModelAsync("short-answers", new ResourcePolicy { MaxTokensPerRequest = 1 }, mock, "mock-short-1", Pricing);
        var (shortKey, _) = await host.Seed.AddKeyAsync(name: "short", modelGrants: [shortModel.Id]);

        await host.Chat("upstream-chat", cappedKey).CompleteChatAsync([new UserChatMessage("Say hello")]);
        var cut = (await host.Chat("short-answers", shortKey).CompleteChatAsync([new UserChatMessage("Tell me everything.")])).Value;
        var refused = await Assert.ThrowsAsync<System.ClientModel.ClientResultException>(() =>
            host.Chat("short-answers", shortKey).CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { MaxOutputTokenCount = 5 }));

        Assert.Equal(2, Assert.Single(_gateway.OpenAi.Received).Body["max_tokens"]!.GetValue<long>());
        Assert.Equal(1, cut.Usage.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, cut.FinishReason);
        Assert.Equal(400, refused.Status);
        Assert.Contains("The model 'short-answers' allows at most 1 output tokens per request", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Openai_format_providers_get_the_limit_in_their_own_field_unless_the_client_named_one()
    {
        var host = _gateway.Host;
        await host.Chat("gpt-openai", _gateway.Secret).CompleteChatAsync([new UserChatMessage("Say hello")]);
        await host.Chat("upstream-chat", _gateway.Secret).CompleteChatAsync([new UserChatMessage("Say hello")]);
        await host.Chat("upstream-chat", _gateway.Secret).CompleteChatAsync([new UserChatMessage("Say hello")], new ChatCompletionOptions { MaxOutputTokenCount = 2 });

        // OpenAI itself takes max_completion_tokens (its reasoning models refuse max_tokens); compatible servers max_tokens.
        var openAi = Assert.Single(_openAi.Received).Body;
        Assert.Equal(Limit, openAi["max_completion_tokens"]!.GetValue<long>());
        Assert.False(openAi.ContainsKey("max_tokens"));
        var sent = _gateway.OpenAi.Received.Select(r => r.Body).ToArray();
        Assert.Equal(2, sent.Length);
        Assert.Equal(Limit, sent[0]["max_tokens"]!.GetValue<long>());
        Assert.False(sent[0].ContainsKey("max_completion_tokens"));
        Assert.Equal(2, sent[1]["max_completion_tokens"]!.GetValue<long>());
        Assert.False(sent[1].ContainsKey("max_tokens"));
    }

    [Fact]
    public async Task Responses_calls_get_max_output_tokens()
    {
        var client = new ResponsesClient(new System.ClientModel.ApiKeyCredential(_gateway.Secret), new ResponsesClientOptions { Endpoint = new Uri(_gateway.Host.Address, "/v1") });
        await client.CreateResponseAsync(new CreateResponseOptions("upstream-chat", [ResponseItem.CreateUserMessageItem("Hi")]));

        var (_, sent, _) = Assert.Single(_gateway.OpenAi.ResponsesReceived);
        Assert.Equal(Limit, sent["max_output_tokens"]!.GetValue<long>());
    }

    [Theory]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""", Limit)]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"temperature":0.5}}""", Limit)]
    [InlineData("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"maxOutputTokens":2}}""", 2L)]
    public async Task Native_gemini_calls_get_max_output_tokens_in_their_generation_config(string body, long expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Host.Address, "/v1beta/models/gemini-smart:generateContent"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-goog-api-key", _gateway.Secret);
        using var response = await Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var config = Assert.Single(_gateway.Gemini.Received).Body["generationConfig"]!.AsObject();
        Assert.Equal(expected, config["maxOutputTokens"]!.GetValue<long>());
        Assert.False(config.ContainsKey("max_output_tokens"));
    }

    [Fact]
    public async Task A_gemini_limit_spelt_in_snake_case_is_kept_and_not_doubled()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Host.Address, "/v1beta/models/gemini-smart:generateContent"))
        {
            Content = new StringContent("""{"contents":[{"role":"user","parts":[{"text":"hi"}]}],"generationConfig":{"max_output_tokens":2}}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-goog-api-key", _gateway.Secret);
        using var response = await Http.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var config = Assert.Single(_gateway.Gemini.Received).Body["generationConfig"]!.AsObject();
        Assert.Equal(2, config["max_output_tokens"]!.GetValue<long>());
        Assert.False(config.ContainsKey("maxOutputTokens"));
    }

    [Fact]
    public async Task Anthropic_gets_the_limit_as_max_tokens_when_another_family_calls_it()
    {
        await _gateway.Host.Chat("claude-smart", _gateway.Secret).CompleteChatAsync([new UserChatMessage("Hi")]);

        Assert.Equal(Limit, Assert.Single(_gateway.Anthropic.Received).Body["max_tokens"]!.GetValue<long>());
    }
}
