using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// What only OpenAI-format providers serve on <c>/v1/chat/completions</c> (custom tools, web search options, audio
/// output, predicted outputs) reaches those providers as sent, and gets a 400 naming the field for Anthropic and
/// Gemini models, whose translation would drop it and answer without it.
/// </summary>
public sealed class OpenAiOnlyFeatureTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, OpenAiCompatible: "upstream-chat", Anthropic: "claude-chat", Gemini: "gemini-chat"));

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData("""{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}},{"type":"custom","custom":{"name":"grammar"}}]}""", "tools[1]")]
    [InlineData("""{"web_search_options":{"search_context_size":"low"}}""", "web_search_options")]
    [InlineData("""{"audio":{"voice":"alloy","format":"wav"},"modalities":["text","audio"]}""", "audio")]
    [InlineData("""{"modalities":["text","audio"]}""", "modalities")]
    [InlineData("""{"prediction":{"type":"content","content":"draft"}}""", "prediction")]
    public async Task Reaches_openai_format_models_as_sent_and_gets_400_elsewhere(string extra, string param)
    {
        var fields = JsonNode.Parse(extra)!.AsObject();

        using var native = await Http.SendAsync(Post(Body("upstream-chat", fields)));
        using var claude = await Http.SendAsync(Post(Body("claude-chat", fields)));
        using var gemini = await Http.SendAsync(Post(Body("gemini-chat", fields)));

        Assert.Equal(HttpStatusCode.OK, native.StatusCode);
        var (sent, _) = Assert.Single(_gateway.OpenAi.Received);
        Assert.Equal(fields.First().Value!.ToJsonString(), sent[fields.First().Key]!.ToJsonString());
        foreach (var refused in new[] { claude, gemini })
        {
            using var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(param, error.RootElement.GetProperty("error").GetProperty("param").GetString());
        }

        Assert.Empty(_gateway.Anthropic.Received);
        Assert.Empty(_gateway.Gemini.Received);
    }

    [Fact]
    public async Task Functions_and_null_fields_are_not_refused()
    {
        var fields = JsonNode.Parse("""{"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"audio":null,"modalities":["text"]}""")!.AsObject();

        using var claude = await Http.SendAsync(Post(Body("claude-chat", fields)));

        Assert.Equal(HttpStatusCode.OK, claude.StatusCode);
    }

    private static string Body(string model, JsonObject fields)
    {
        var body = JsonNode.Parse($$"""{"model":"{{model}}","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""")!.AsObject();
        foreach (var (name, value) in fields)
        {
            body[name] = value?.DeepClone();
        }

        return body.ToJsonString();
    }

    private HttpRequestMessage Post(string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Host.Address, "/v1/chat/completions")) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.Secret);
        return request;
    }
}
