using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Odock.Domain.Models;
using Odock.Gateway.Pipeline;

namespace Odock.Gateway.Tests;

/// <summary>
/// A request body's text, checked before any endpoint reads it (<see cref="RequestText"/>): bytes that are not UTF-8
/// get a 400 in the caller's own error shape, and a <c>\u</c> escape of half a surrogate pair reaches the provider as
/// the replacement character. Before, such bodies got 500 on some endpoints and went to the provider on others.
/// </summary>
public sealed class RequestTextTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 2m, OutputPerMillion = 8m, EmbeddingPerMillion = 0.1m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync() =>
        _gateway = await SeededChatGateway.StartAsync(
            new ChatCatalog(Pricing, Mock: "support-fast", OpenAiCompatible: "upstream-chat", Anthropic: "claude-chat", Gemini: "gemini-chat"),
            alsoGranted: SeededChatGateway.MockEmbeddings("embed-mock", Pricing));

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData("""{"a":"plain text, no escapes"}""", """{"a":"plain text, no escapes"}""")]
    [InlineData("""{"a":"cut \ud83d"}""", """{"a":"cut \ufffd"}""")]
    [InlineData("""{"a":"\uDC00 low first"}""", """{"a":"\ufffd low first"}""")]
    [InlineData("""{"a":"a pair \ud83d\ude00 stays"}""", """{"a":"a pair \ud83d\ude00 stays"}""")]
    [InlineData("""{"a":"\ud83d\ud83d\ude00"}""", """{"a":"\ufffd\ud83d\ude00"}""")]
    [InlineData("""{"a":"an escaped backslash \\ud800 is text"}""", """{"a":"an escaped backslash \\ud800 is text"}""")]
    [InlineData("""{"a":"\\\ud800"}""", """{"a":"\\\ufffd"}""")]
    [InlineData("""{"a":"\n\t\u00e9\"\ud800"}""", """{"a":"\n\t\u00e9\"\ufffd"}""")]
    [InlineData("""{"a":"short \ud8""", """{"a":"short \ud8""")]
    public void Half_a_surrogate_pair_becomes_the_replacement_character_and_nothing_else_changes(string body, string expected)
    {
        var bytes = Encoding.UTF8.GetBytes(body);

        Assert.Null(RequestText.Check(bytes));
        Assert.Equal(expected, Encoding.UTF8.GetString(bytes));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'"', 0xFF, (byte)'"' })]
    [InlineData(new byte[] { (byte)'"', 0xC3, (byte)'"' })]
    [InlineData(new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' })] // a surrogate written as UTF-8 bytes
    public void Bytes_that_are_not_utf8_are_refused(byte[] body)
    {
        var error = RequestText.Check(body);

        Assert.Equal(400, error!.Status);
        Assert.Equal("invalid_request_error", error.Code);
    }

    [Theory]
    [InlineData("/v1/chat/completions", "upstream-chat", "openai")]
    [InlineData("/v1/embeddings", "embed-mock", "openai")]
    [InlineData("/v1/messages", "claude-chat", "anthropic")]
    [InlineData("/v1beta/models/gemini-chat:generateContent", null, "gemini")]
    [InlineData("/odock/v1/chat", "upstream-chat", "odock")]
    public async Task A_body_that_is_not_utf8_gets_400_in_the_callers_shape_reaches_no_provider_and_is_recorded(string path, string? model, string family)
    {
        var text = family switch
        {
            "openai" when path.EndsWith("embeddings", StringComparison.Ordinal) => $$"""{"model":"{{model}}","input":"X"}""",
            "openai" => $$"""{"model":"{{model}}","messages":[{"role":"user","content":"X"}]}""",
            "anthropic" => $$"""{"model":"{{model}}","max_tokens":16,"messages":[{"role":"user","content":"X"}]}""",
            "gemini" => """{"contents":[{"parts":[{"text":"X"}]}]}""",
            _ => $$"""{"models":["{{model}}"],"messages":[{"role":"user","content":"X"}]}""",
        };
        var bytes = Encoding.UTF8.GetBytes(text);
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xFF;

        using var response = await Http.SendAsync(Post(path, bytes));
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var root = answer.RootElement;
        switch (family)
        {
            case "anthropic":
                Assert.Equal("error", root.GetProperty("type").GetString());
                Assert.Equal("invalid_request_error", root.GetProperty("error").GetProperty("type").GetString());
                break;
            case "gemini":
                Assert.Equal("INVALID_ARGUMENT", root.GetProperty("error").GetProperty("status").GetString());
                break;
            case "odock":
                Assert.Equal("invalid_request_error", root.GetProperty("error").GetProperty("code").GetString());
                break;
            default:
                Assert.Equal("invalid_request_error", root.GetProperty("error").GetProperty("type").GetString());
                break;
        }

        Assert.Contains("UTF-8", root.ToString(), StringComparison.Ordinal);
        Assert.Empty(_gateway.OpenAi.ReceivedText);
        Assert.Empty(_gateway.Anthropic.Received);
        Assert.Empty(_gateway.Gemini.Received);
        var row = Assert.Single(await _gateway.Host.LedgerAsync(1));
        Assert.Equal((400, "invalid_request_error", 0m), (row.HttpStatus, row.ErrorCode, row.Cost));
    }

    [Fact]
    public async Task Half_a_surrogate_pair_reaches_the_provider_as_the_replacement_character()
    {
        const string body = """{"model":"upstream-chat","messages":[{"role":"user","content":"cut \ud83d, a pair \ud83d\ude00, an escaped \\ud800"}]}""";

        using var response = await Http.SendAsync(Post("/v1/chat/completions", Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_gateway.OpenAi.ReceivedText);
        Assert.Contains("""cut \ufffd, a pair \ud83d\ude00, an escaped \\ud800""", sent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/embeddings", """{"model":"embed-mock","input":"cut \ud83d"}""")]
    [InlineData("/v1/chat/completions", """{"model":"support-fast","messages":[{"role":"user","content":"cut \ud83d"}]}""")]
    [InlineData("/v1/messages", """{"model":"claude-chat","max_tokens":16,"messages":[{"role":"user","content":"cut \ud83d"}]}""")]
    public async Task Endpoints_that_read_the_text_answer_half_a_surrogate_pair_and_charge_it(string path, string body)
    {
        using var response = await Http.SendAsync(Post(path, Encoding.UTF8.GetBytes(body)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await _gateway.Host.LedgerAsync(1));
        Assert.Equal(200, row.HttpStatus);
        Assert.True(row.Cost > 0m);
    }

    private HttpRequestMessage Post(string path, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Host.Address, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.Secret);
        return request;
    }
}
