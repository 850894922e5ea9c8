using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>:streamGenerateContent</c> without <c>alt=sse</c>: Google's other stream framing, one JSON array of
/// <c>GenerateContentResponse</c>s written as they are produced, for a Gemini model (relayed, re-framed) and for models
/// answering through translation. Whatever the framing, the body parses as JSON and the call is charged as usual.
/// </summary>
public sealed class GeminiArrayStreamTests : IAsyncLifetime
{
    private const string Hello = """{"contents":[{"role":"user","parts":[{"text":"Hello there"}]}]}""";

    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1.25m, OutputPerMillion = 10m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private GatewayHost _host = null!;
    private FakeGeminiUpstream _gemini = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "upstream-chat", Gemini: "gemini-smart"));
        (_host, _secret, _gemini) = (_gateway.Host, _gateway.Secret, _gateway.Gemini);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Fact]
    public async Task A_gemini_models_stream_is_reframed_as_one_json_array_and_charged_from_the_last_usage_metadata()
    {
        var (response, array) = await StreamAsync("gemini-smart");

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal(3, array.Count);
        Assert.Equal("Hallo from Gemini", Text(array));
        Assert.Equal("STOP", array[^1]!["candidates"]![0]!["finishReason"]!.GetValue<string>());
        Assert.Equal("/v1beta/models/gemini-2.5-x:streamGenerateContent?alt=sse", Assert.Single(_gemini.Received).Path);
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal("gemini.stream_generate_content", row.Endpoint);
        Assert.Equal(25, row.Tokens.InputTokens);
        Assert.Equal(8, row.Tokens.OutputTokens);
    }

    [Theory]
    [InlineData("support-fast", "mock-fast-1")]
    [InlineData("upstream-chat", "Hello from upstream")]
    public async Task A_translated_stream_is_one_json_array_ending_with_the_finish_reason_and_usage(string model, string expected)
    {
        var (response, array) = await StreamAsync(model);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, Text(array), StringComparison.Ordinal);
        Assert.All(array, element => Assert.Equal("model", element!["candidates"]![0]!["content"]!["role"]!.GetValue<string>()));
        var last = array[^1]!;
        Assert.Equal("STOP", last["candidates"]![0]!["finishReason"]!.GetValue<string>());
        var row = Assert.Single(await _host.LedgerAsync(1));
        Assert.Equal(row.Tokens.InputTokens, last["usageMetadata"]!["promptTokenCount"]!.GetValue<long>());
        Assert.Equal(row.Tokens.OutputTokens, last["usageMetadata"]!["candidatesTokenCount"]!.GetValue<long>());
    }

    private async Task<(HttpResponseMessage Response, JsonArray Array)> StreamAsync(string model)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, $"/v1beta/models/{model}:streamGenerateContent"))
        {
            Content = new StringContent(Hello, Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("x-goog-api-key", _secret);
        var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("[", body, StringComparison.Ordinal);
        Assert.EndsWith("]", body, StringComparison.Ordinal);
        return (response, JsonNode.Parse(body)!.AsArray());
    }

    private static string Text(JsonArray array) =>
        string.Concat(array.SelectMany(e => e!["candidates"]![0]!["content"]!["parts"]!.AsArray()).Select(p => p!["text"]?.GetValue<string>()));
}
