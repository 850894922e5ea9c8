using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// A request body sent compressed (<c>Content-Encoding</c>) is read as what it decompresses to, with every limit
/// holding for that; an encoding Odock does not read, or data that does not decompress, gets a clear error in the
/// caller's shape and a ledger row. Before, a compressed body was read as its compressed bytes and refused as "not
/// valid UTF-8".
/// </summary>
public sealed class CompressedBodyTests : IAsyncLifetime
{
    private const long MaxBody = 64 * 1024;
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await SeededChatGateway.StartAsync(
        new ChatCatalog(Pricing, OpenAiCompatible: "upstream-chat"),
        new GatewayOptions { CatalogRevalidation = TimeSpan.FromMilliseconds(50), MaxBodyBytes = MaxBody });

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData("gzip")]
    [InlineData("deflate")]
    [InlineData("br")]
    [InlineData("GZIP")]
    public async Task A_compressed_body_is_served_as_what_it_decompresses_to(string encoding)
    {
        const string Body = """{"model":"upstream-chat","max_tokens":3,"messages":[{"role":"user","content":"compressed hello"}]}""";

        using var response = await Http.SendAsync(Post("/v1/chat/completions", Compress(Encoding.UTF8.GetBytes(Body), encoding), encoding));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var (sent, _) = Assert.Single(_gateway.OpenAi.Received);
        Assert.Equal("compressed hello", sent["messages"]![0]!["content"]!.GetValue<string>());
        Assert.Equal(200, Assert.Single(await _gateway.Host.LedgerAsync(1)).HttpStatus);
    }

    [Fact]
    public async Task A_small_compressed_body_that_expands_past_the_limit_gets_413_without_reading_it_all()
    {
        // About 4 KB on the wire, 4 MiB decompressed: the limit counts what it decompresses to.
        var padding = new string(' ', 4 * 1024 * 1024);
        var body = Encoding.UTF8.GetBytes($$"""{"model":"upstream-chat","messages":[{"role":"user","content":"hi{{padding}}"}]}""");
        var compressed = Compress(body, "gzip");

        using var response = await Http.SendAsync(Post("/v1/chat/completions", compressed, "gzip"));

        Assert.InRange(compressed.Length, 1, MaxBody / 4);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("payload_too_large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_gateway.OpenAi.ReceivedText);
        Assert.Equal(413, Assert.Single(await _gateway.Host.LedgerAsync(1)).HttpStatus);
    }

    [Fact]
    public async Task Data_that_does_not_decompress_gets_400_in_the_callers_shape()
    {
        using var response = await Http.SendAsync(Post("/v1/messages", Encoding.UTF8.GetBytes("""{"model":"upstream-chat"}"""), "gzip"));

        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("error", error.RootElement.GetProperty("type").GetString());
        Assert.Contains("not valid gzip data", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, Assert.Single(await _gateway.Host.LedgerAsync(1)).HttpStatus);
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("gzip, br")]
    public async Task An_encoding_odock_does_not_read_gets_415_naming_it(string encoding)
    {
        using var response = await Http.SendAsync(Post("/v1/chat/completions", Encoding.UTF8.GetBytes("""{"model":"upstream-chat"}"""), encoding));

        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("unsupported_content_encoding", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains($"'{encoding}'", error.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_gateway.OpenAi.ReceivedText);
    }

    private static byte[] Compress(byte[] body, string encoding)
    {
        using var output = new MemoryStream();
        using (Stream compressor = encoding.ToLowerInvariant() switch
        {
            "gzip" => new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true),
            _ => new BrotliStream(output, CompressionLevel.Optimal, leaveOpen: true),
        })
        {
            compressor.Write(body);
        }

        return output.ToArray();
    }

    private HttpRequestMessage Post(string path, byte[] body, string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Host.Address, path)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _gateway.Secret);
        if (path == "/v1/messages")
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        return request;
    }
}
