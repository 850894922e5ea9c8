using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Providers;
using Odock.Gateway.Pipeline;

namespace Odock.Gateway.Tests;

/// <summary>
/// <c>x-odock-overhead-ms</c> counts Odock's own time and leaves out the provider's: with a provider that takes a known
/// time before answering, what the client waited beyond the overhead holds that time, where counting it would leave
/// nothing, on chat and operation endpoints alike. On streams the header arrives with the response headers, before the first event.
/// </summary>
public sealed class OverheadHeaderTests : IAsyncLifetime
{
    private static readonly TimeSpan ProviderTime = TimeSpan.FromMilliseconds(1500);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private GatewayHost _host = null!;
    private FakeOpenAiUpstream _openAi = null!;
    private string _secret = "";

    public async Task InitializeAsync()
    {
        _host = await GatewayHost.StartAsync();
        _openAi = await FakeOpenAiUpstream.StartAsync();
        var slowMock = await _host.Seed.AddProviderAsync("slow-offline", ProviderType.Mock, null, settings: new Dictionary<string, string> { ["latency_ms"] = ProviderTime.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) });
        var compatible = await _host.Seed.AddProviderAsync("upstream", ProviderType.OpenAiCompatible, _openAi.BaseUrl, "sk-upstream-secret", _host.Protector.Protect);
        var models = new[]
        {
            await _host.Seed.AddModelAsync("slow-mock", ResourcePolicy.None, slowMock, "mock-slow-1"),
            await _host.Seed.AddModelAsync("upstream-chat", ResourcePolicy.None, compatible, "gpt-upstream-1"),
            await _host.Seed.AddTypedModelAsync("slow-embed", ModelType.Embeddings, slowMock, "mock-embed-1", ModelPricing.Free),
        };
        (_secret, _) = await _host.Seed.AddKeyAsync(modelGrants: models.Select(m => m.Id).ToArray());
    }

    public async Task DisposeAsync()
    {
        await _openAi.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"upstream-chat","messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("/v1/responses", """{"model":"upstream-chat","input":"hi"}""")]
    [InlineData("/odock/v1/chat", """{"model":"upstream-chat","messages":[{"role":"user","content":"hi"}]}""")]
    public async Task A_whole_answer_reports_odock_time_without_the_providers(string path, string body)
    {
        _openAi.Stall = ProviderTime;

        var (overhead, waited) = await CallAsync(path, body);

        AssertProviderTimeLeftOut(overhead, waited);
    }

    [Fact]
    public async Task An_operation_endpoint_reports_odock_time_without_the_providers_too()
    {
        var (overhead, waited) = await CallAsync("/v1/embeddings", """{"model":"slow-embed","input":"hi"}""");

        AssertProviderTimeLeftOut(overhead, waited);
    }

    [Fact]
    public async Task A_stream_reports_it_in_the_headers_before_the_first_event()
    {
        var (overhead, waited) = await CallAsync("/v1/chat/completions", """{"model":"slow-mock","stream":true,"messages":[{"role":"user","content":"hi"}]}""");

        AssertProviderTimeLeftOut(overhead, waited);
    }

    /// <summary>
    /// What the client waited beyond the reported overhead holds the provider's time. Half of it is the bar, not all:
    /// timers may fire a tick early, and the property is the same, since counting the provider would leave nothing.
    /// </summary>
    [Fact]
    public void The_overhead_is_spelled_as_the_format_0_dot_three_hashes_spells_it()
    {
        var random = new Random(7);
        var values = new List<double> { 0, 0.0004, 0.0005, 0.0015, 0.001, 0.1, 0.25, 0.9995, 1, 1.0005, 12.3456, 999.9999, 123456.789 };
        for (var i = 0; i < 10_000; i++)
        {
            values.Add(random.NextDouble() * Math.Pow(10, random.Next(-4, 6)));
        }

        foreach (var milliseconds in values)
        {
            Assert.Equal(milliseconds.ToString("0.###", CultureInfo.InvariantCulture), OverheadHeader.Format(TimeSpan.FromMilliseconds(milliseconds)));
        }

        Assert.Equal("0", OverheadHeader.Format(TimeSpan.FromMilliseconds(-3)));
    }

    private static void AssertProviderTimeLeftOut(TimeSpan overhead, TimeSpan waited) =>
        Assert.True(waited - overhead >= ProviderTime / 2, $"overhead {overhead} leaves less than the provider's time out of waited {waited}");

    /// <summary>The overhead the gateway reported, and how long the client waited for the headers carrying it.</summary>
    private async Task<(TimeSpan Overhead, TimeSpan Waited)> CallAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_host.Address, path))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _secret);
        var started = Stopwatch.GetTimestamp();
        using var response = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var waited = Stopwatch.GetElapsedTime(started);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.TryGetValues("x-odock-overhead-ms", out var values), "the header is on the answer");
        return (TimeSpan.FromMilliseconds(double.Parse(values!.Single(), CultureInfo.InvariantCulture)), waited);
    }
}
