using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Pricing;
using Odock.Domain.Providers;

namespace Odock.Gateway.Tests;

/// <summary>
/// The parts of a policy that judge the request itself: a model's <c>max_payload_bytes</c>, <c>ip_allow</c> and
/// <c>ip_block</c> hold for every key that calls it, on every endpoint that names it, and a key's
/// <c>max_payload_bytes</c> holds for a body sent in chunks, which declares no length. Before, a model's were accepted
/// and ignored, and a chunked body passed any key's limit.
/// </summary>
public sealed class RequestPolicyTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;
    private Provider _mock = null!;

    public async Task InitializeAsync()
    {
        _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"));
        _mock = await _gateway.Host.Seed.AddProviderAsync("policed", ProviderType.Mock, null);
    }

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_body_over_the_models_limit_gets_413_whatever_the_key_and_however_it_is_sent(bool chunked)
    {
        var model = await _gateway.Host.Seed.AddModelAsync("small-bodies", new ResourcePolicy { MaxPayloadBytes = 2048 }, _mock, "mock-small-1", Pricing);
        var (secret, _) = await _gateway.Host.Seed.AddKeyAsync(name: "any", modelGrants: [model.Id]);

        using var refused = await Http.SendAsync(Chat(secret, "small-bodies", new string('x', 3000), chunked));
        using var served = await Http.SendAsync(Chat(secret, "small-bodies", "hi", chunked));

        var error = await ErrorAsync(refused);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal("payload_too_large", error.GetProperty("code").GetString());
        Assert.Contains("'small-bodies'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        var rows = await _gateway.Host.LedgerAsync(2);
        Assert.Contains(rows, row => row.HttpStatus == 413 && row.ModelName is null && row.RequestedModel == "small-bodies");
    }

    [Fact]
    public async Task A_chunked_body_over_the_keys_limit_gets_413_naming_the_key_and_a_ledger_row()
    {
        var (secret, _) = await _gateway.Host.Seed.AddKeyAsync(new ResourcePolicy { MaxPayloadBytes = 2048 }, "small-key", modelGrants: [_gateway.Models["support-fast"].Id]);

        using var chunked = await Http.SendAsync(Chat(secret, "support-fast", new string('x', 3000), chunked: true));
        using var declared = await Http.SendAsync(Chat(secret, "support-fast", new string('x', 3000), chunked: false));
        using var served = await Http.SendAsync(Chat(secret, "support-fast", "hi", chunked: true));

        var error = await ErrorAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunked.StatusCode);
        Assert.Contains("key's limit of 2048", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("max_payload_bytes", error.GetProperty("param").GetString());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Contains(await _gateway.Host.LedgerAsync(2), row => row.HttpStatus == 413);
    }

    [Theory]
    [InlineData(new[] { "10.0.0.0/8" }, new string[0], false)]
    [InlineData(new string[0], new[] { "127.0.0.0/8" }, false)]
    [InlineData(new[] { "127.0.0.0/8" }, new[] { "127.0.0.1/32" }, false)]
    [InlineData(new[] { "127.0.0.1/32", "10.0.0.0/8" }, new string[0], true)]
    [InlineData(new string[0], new[] { "10.0.0.0/8", "::1/128" }, true)]
    public async Task A_models_address_ranges_hold_for_every_key_on_every_endpoint(string[] allow, string[] block, bool allowed)
    {
        var policy = new ResourcePolicy { IpAllow = allow, IpBlock = block };
        var chat = await _gateway.Host.Seed.AddModelAsync("ranged-chat", policy, _mock, "mock-ranged-1", Pricing);
        var embeddings = await _gateway.Host.Seed.AddTypedModelAsync("ranged-embed", ModelType.Embeddings, _mock, "mock-embed-1", Pricing, policy);
        var (secret, _) = await _gateway.Host.Seed.AddKeyAsync(name: "any", modelGrants: [chat.Id, embeddings.Id]);

        using var completions = await Http.SendAsync(Chat(secret, "ranged-chat", "hi", chunked: false));
        using var unified = await Http.SendAsync(Post("/odock/v1/chat", secret, """{"model":"ranged-chat","max_output_tokens":2,"messages":[{"role":"user","content":"hi"}]}"""));
        using var embedded = await Http.SendAsync(Post("/v1/embeddings", secret, """{"model":"ranged-embed","input":"hi"}"""));

        foreach (var response in new[] { completions, unified, embedded })
        {
            Assert.Equal(allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden, response.StatusCode);
            if (!allowed)
            {
                Assert.Contains("address_not_allowed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", true)]
    [InlineData("::ffff:10.1.2.3", false)]
    [InlineData("127.0.0.1", true)]
    public void An_IPv4_client_seen_through_a_dual_stack_listener_is_judged_by_its_IPv4_address(string client, bool allowed)
    {
        var policy = new ResourcePolicy { IpAllow = ["127.0.0.0/8"] };
        var model = new Odock.Grains.Catalog.CatalogModel(
            Guid.NewGuid(), "ranged", "ranged-1", Guid.NewGuid(), null, ModelType.Chat, [], ModelPriceSchedule.FromModelPricing(Pricing), policy, true);

        var refusal = Odock.Gateway.Resolution.ModelAccess.Of(policy)!.Check(model, 0, IPAddress.Parse(client));

        Assert.Equal(allowed, refusal is null);
    }

    private HttpRequestMessage Chat(string secret, string model, string text, bool chunked)
    {
        var body = JsonSerializer.Serialize(new { model, max_tokens = 2, messages = new[] { new { role = "user", content = text } } });
        var request = Post("/v1/chat/completions", secret, body);
        if (chunked)
        {
            // A stream of unknown length: HttpClient sends it with Transfer-Encoding: chunked and no Content-Length.
            request.Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body)));
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        return request;
    }

    private HttpRequestMessage Post(string path, string secret, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_gateway.Host.Address, path)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        return request;
    }

    private static async Task<JsonElement> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("error");

    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;

        public override long Length => throw new NotSupportedException();
    }
}
