using System.Net;
using System.Text.Json;
using Odock.Domain.Models;
using Odock.Testing.Browser;

namespace Odock.Gateway.Tests;

/// <summary>
/// Web pages on other origins call the gateway as they call the providers' own APIs: a real headless Chromium loads a
/// page from its own loopback origin, and what its <c>fetch</c> may read is the browser's decision, made from the
/// gateway's preflight and response headers (<c>Odock:Gateway:CorsAllowedOrigins</c>).
/// </summary>
public sealed class BrowserAccessTests
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_page_on_another_origin_reads_answers_streams_errors_and_their_headers()
    {
        await using var gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"));

        var result = await HeadlessBrowser.RunAsync(Script(gateway.Host.Address, gateway.Secret));

        using var read = JsonDocument.Parse(result);
        var root = read.RootElement;
        Assert.Equal(200, root.GetProperty("chat").GetProperty("status").GetInt32());
        Assert.StartsWith("req_", root.GetProperty("chat").GetProperty("requestId").GetString(), StringComparison.Ordinal);
        Assert.Contains("This is", root.GetProperty("chat").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, root.GetProperty("stream").GetProperty("status").GetInt32());
        Assert.EndsWith("data: [DONE]\n\n", root.GetProperty("stream").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, root.GetProperty("messages").GetProperty("status").GetInt32());
        Assert.Equal(401, root.GetProperty("error").GetProperty("status").GetInt32());
        Assert.Contains("invalid_api_key", root.GetProperty("error").GetProperty("body").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, (await gateway.Host.LedgerAsync(3)).Count(row => row.HttpStatus == 200));
    }

    [Theory]
    [InlineData("https://app.example.com")]
    [InlineData("")]
    public async Task A_page_on_an_origin_the_setting_does_not_list_can_read_nothing(string allowed)
    {
        await using var gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"), Options(allowed));

        var result = await HeadlessBrowser.RunAsync(Script(gateway.Host.Address, gateway.Secret));

        Assert.StartsWith("threw TypeError", result, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/chat/completions")]
    [InlineData("/v1/messages")]
    [InlineData("/v1beta/models/support-fast:streamGenerateContent")]
    [InlineData("/odock/v1/chat")]
    [InlineData("/tokenize")]
    public async Task A_preflight_gets_204_with_the_methods_and_the_headers_asked_for(string path)
    {
        await using var gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"));

        using var response = await Http.SendAsync(Preflight(gateway.Host.Address, path, "http://page.example:3000"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("GET, POST, OPTIONS", Header(response, "Access-Control-Allow-Methods"));
        Assert.Equal("authorization,content-type,x-stainless-os", Header(response, "Access-Control-Allow-Headers"));
        Assert.Equal("86400", Header(response, "Access-Control-Max-Age"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Fact]
    public async Task A_listed_origin_is_named_back_with_Vary_and_other_origins_and_server_clients_get_no_permission()
    {
        await using var gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"), Options("https://app.example.com, https://admin.example.com:8443"));
        var address = gateway.Host.Address;

        using var listed = await Http.SendAsync(Preflight(address, "/v1/chat/completions", "https://admin.example.com:8443"));
        Assert.Equal(HttpStatusCode.NoContent, listed.StatusCode);
        Assert.Equal("https://admin.example.com:8443", Header(listed, "Access-Control-Allow-Origin"));
        Assert.Equal("Origin", Header(listed, "Vary"));

        using var unlisted = await Http.SendAsync(Preflight(address, "/v1/chat/completions", "https://evil.example"));
        Assert.Equal(HttpStatusCode.NotFound, unlisted.StatusCode);
        Assert.False(unlisted.Headers.Contains("Access-Control-Allow-Origin"));

        using var answer = await Http.SendAsync(Chat(address, gateway.Secret, "https://app.example.com"));
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("https://app.example.com", Header(answer, "Access-Control-Allow-Origin"));
        Assert.Equal("*", Header(answer, "Access-Control-Expose-Headers"));

        using var server = await Http.SendAsync(Chat(address, gateway.Secret, origin: null));
        Assert.Equal(HttpStatusCode.OK, server.StatusCode);
        Assert.False(server.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Theory]
    [InlineData("app.example.com")]
    [InlineData("https://app.example.com/chat")]
    [InlineData("ftp://files.example.com")]
    public void A_setting_that_names_something_other_than_an_origin_stops_start_up(string origins)
    {
        var problem = Assert.Single(new GatewayOptions { CorsAllowedOrigins = origins }.Validate());

        Assert.Contains("CorsAllowedOrigins", problem, StringComparison.Ordinal);
        Assert.Empty(new GatewayOptions { CorsAllowedOrigins = "*, https://app.example.com:8443, http://localhost:3000/" }.Validate());
    }

    private static GatewayOptions Options(string allowedOrigins) => new()
    {
        CatalogRevalidation = TimeSpan.FromMilliseconds(50),
        CorsAllowedOrigins = allowedOrigins,
    };

    /// <summary>A chat, a stream, an Anthropic-style call and a bad key, each with headers a browser must ask leave to send.</summary>
    private static string Script(Uri gateway, string secret) => $$"""
        const base = '{{gateway.ToString().TrimEnd('/')}}';
        const chat = { model: 'support-fast', max_tokens: 2, messages: [{ role: 'user', content: 'hi' }] };
        async function call(path, key, body, headers) {
          const response = await fetch(base + path, {
            method: 'POST',
            headers: Object.assign({ 'Authorization': 'Bearer ' + key, 'Content-Type': 'application/json', 'X-Stainless-OS': 'Browser' }, headers || {}),
            body: JSON.stringify(body),
          });
          return { status: response.status, requestId: response.headers.get('x-request-id'), body: await response.text() };
        }
        const results = {
          chat: await call('/v1/chat/completions', '{{secret}}', chat),
          stream: await call('/v1/chat/completions', '{{secret}}', Object.assign({ stream: true }, chat)),
          messages: await call('/v1/messages', '{{secret}}', chat, { 'anthropic-version': '2023-06-01', 'anthropic-dangerous-direct-browser-access': 'true' }),
          error: await call('/v1/chat/completions', 'odk-not-a-key', chat),
        };
        out.textContent = JSON.stringify(results);
        """;

    private static HttpRequestMessage Preflight(Uri gateway, string path, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, new Uri(gateway, path));
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,x-stainless-os");
        return request;
    }

    private static HttpRequestMessage Chat(Uri gateway, string secret, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(gateway, "/v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"support-fast","max_tokens":2,"messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return request;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header.");
}
