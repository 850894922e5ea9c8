using System.Net;
using Odock.Domain.Models;

namespace Odock.Gateway.Tests;

/// <summary>
/// The key is read wherever each family's SDK puts it, and a request that carries something else in another of those
/// places (a proxy's own <c>Authorization</c>) is judged by the Odock key it holds.
/// </summary>
public sealed class KeyHeaderTests : IAsyncLifetime
{
    private static readonly ModelPricing Pricing = new() { Currency = "USD", InputPerMillion = 1m, OutputPerMillion = 2m };
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    private SeededChatGateway _gateway = null!;

    public async Task InitializeAsync() => _gateway = await SeededChatGateway.StartAsync(new ChatCatalog(Pricing, Mock: "support-fast"));

    public Task DisposeAsync() => _gateway.DisposeAsync().AsTask();

    [Theory]
    [InlineData("Authorization", "Bearer {0}")]
    [InlineData("x-api-key", "{0}")]
    [InlineData("x-goog-api-key", "{0}")]
    [InlineData("api-key", "{0}")]
    [InlineData("?key", "{0}")]
    public async Task The_key_is_read_from_each_familys_place(string place, string format)
    {
        using var served = await Http.SendAsync(Models((place, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, _gateway.Secret))));
        using var refused = await Http.SendAsync(Models((place, string.Format(System.Globalization.CultureInfo.InvariantCulture, format, "odk-not-a-key"))));

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Theory]
    [InlineData("x-api-key")]
    [InlineData("x-goog-api-key")]
    [InlineData("?key")]
    public async Task An_odock_key_is_found_behind_a_proxys_own_bearer_token(string place)
    {
        using var response = await Http.SendAsync(Models(("Authorization", "Bearer corp-sso-token-0123456789"), (place, _gateway.Secret)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Of_two_odock_keys_the_first_place_wins_and_without_one_the_first_value_is_judged()
    {
        using var twoKeys = await Http.SendAsync(Models(("Authorization", "Bearer odk-not-a-key"), ("x-api-key", _gateway.Secret)));
        using var noOdockKey = await Http.SendAsync(Models(("Authorization", "Bearer corp-sso-token-0123456789"), ("x-api-key", "sk-also-not-odock")));

        Assert.Equal(HttpStatusCode.Unauthorized, twoKeys.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noOdockKey.StatusCode);
    }

    private HttpRequestMessage Models(params (string Place, string Value)[] keys)
    {
        var query = keys.FirstOrDefault(k => k.Place == "?key").Value;
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_gateway.Host.Address, query is null ? "/v1/models" : $"/v1/models?key={Uri.EscapeDataString(query)}"));
        foreach (var (place, value) in keys.Where(k => k.Place != "?key"))
        {
            request.Headers.TryAddWithoutValidation(place, value);
        }

        return request;
    }
}
