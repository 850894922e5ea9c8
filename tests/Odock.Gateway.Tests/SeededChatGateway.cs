using Odock.Domain.Models;
using Odock.Domain.Policies;
using Odock.Domain.Providers;

namespace Odock.Gateway.Tests;

/// <summary>
/// A fresh <see cref="GatewayHost"/> seeded as the chat tests use it: for each provider type the <see cref="ChatCatalog"/>
/// names a model for, one provider against its own fake upstream (the OpenAI-compatible <c>upstream</c> with the key
/// <c>sk-upstream-secret</c>, the Anthropic <c>claude</c> with <c>sk-ant-secret</c>, the Gemini <c>google</c> with
/// <c>AIza-gemini-secret</c>, and the mock <c>offline</c>, which needs none) and that model on it; then a key granted to
/// those models. Disposing it stops the fake upstreams and the host.
/// </summary>
internal sealed class SeededChatGateway : IAsyncDisposable
{
    private readonly FakeOpenAiUpstream? _openAi;
    private readonly FakeAnthropicUpstream? _anthropic;
    private readonly FakeGeminiUpstream? _gemini;

    private SeededChatGateway(GatewayHost host, FakeOpenAiUpstream? openAi, FakeAnthropicUpstream? anthropic, FakeGeminiUpstream? gemini)
    {
        Host = host;
        _openAi = openAi;
        _anthropic = anthropic;
        _gemini = gemini;
    }

    public GatewayHost Host { get; }

    /// <summary>The secret of the key granted the <see cref="Models"/>.</summary>
    public string Secret { get; private set; } = "";

    /// <summary>The granted models, by the name clients send.</summary>
    public IReadOnlyDictionary<string, Model> Models { get; private set; } = new Dictionary<string, Model>();

    public FakeOpenAiUpstream OpenAi => _openAi ?? throw NotInCatalog(nameof(ChatCatalog.OpenAiCompatible));

    public FakeAnthropicUpstream Anthropic => _anthropic ?? throw NotInCatalog(nameof(ChatCatalog.Anthropic));

    public FakeGeminiUpstream Gemini => _gemini ?? throw NotInCatalog(nameof(ChatCatalog.Gemini));

    /// <summary>
    /// Starts the host (with <paramref name="options"/> when given) and the fake upstreams the catalog needs, and seeds
    /// them; <paramref name="alsoGranted"/> seeds one more model the key is granted, for a test class that needs a
    /// provider of its own.
    /// </summary>
    public static async Task<SeededChatGateway> StartAsync(ChatCatalog catalog, GatewayOptions? options = null, Func<GatewayHost, Task<Model>>? alsoGranted = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var host = await GatewayHost.StartAsync(options);
        var gateway = new SeededChatGateway(
            host,
            catalog.OpenAiCompatible is null ? null : await FakeOpenAiUpstream.StartAsync(),
            catalog.Anthropic is null ? null : await FakeAnthropicUpstream.StartAsync(),
            catalog.Gemini is null ? null : await FakeGeminiUpstream.StartAsync());
        await gateway.SeedAsync(catalog, alsoGranted);
        return gateway;
    }

    public async ValueTask DisposeAsync()
    {
        if (_openAi is not null)
        {
            await _openAi.DisposeAsync();
        }

        if (_anthropic is not null)
        {
            await _anthropic.DisposeAsync();
        }

        if (_gemini is not null)
        {
            await _gemini.DisposeAsync();
        }

        await Host.DisposeAsync();
    }

    private static InvalidOperationException NotInCatalog(string providerType) =>
        new($"The catalog names no {providerType} model, so its fake upstream was not started.");

    private async Task SeedAsync(ChatCatalog catalog, Func<GatewayHost, Task<Model>>? alsoGranted)
    {
        var seed = Host.Seed;
        var protect = Host.Protector.Protect;
        var mock = catalog.Mock is null && catalog.NotGranted is null ? null : await seed.AddProviderAsync("offline", ProviderType.Mock, null);
        var compatible = _openAi is null ? null : await seed.AddProviderAsync("upstream", ProviderType.OpenAiCompatible, _openAi.BaseUrl, "sk-upstream-secret", protect);
        var anthropic = _anthropic is null ? null : await seed.AddProviderAsync("claude", ProviderType.Anthropic, _anthropic.BaseUrl, "sk-ant-secret", protect);
        var gemini = _gemini is null ? null : await seed.AddProviderAsync("google", ProviderType.Gemini, _gemini.BaseUrl, "AIza-gemini-secret", protect);
        var granted = new List<Model>();
        foreach (var (name, provider, slug, pricing) in new[]
        {
            (catalog.Mock, mock, "mock-fast-1", catalog.MockPricing ?? catalog.Pricing),
            (catalog.OpenAiCompatible, compatible, "gpt-upstream-1", catalog.Pricing),
            (catalog.Anthropic, anthropic, "claude-sonnet-x", catalog.Pricing),
            (catalog.Gemini, gemini, "gemini-2.5-x", catalog.Pricing),
        })
        {
            if (name is not null)
            {
                granted.Add(await seed.AddModelAsync(name, ResourcePolicy.None, provider, slug, pricing));
            }
        }

        if (catalog.NotGranted is { } notGranted)
        {
            await seed.AddModelAsync(notGranted, ResourcePolicy.None, mock);
        }

        if (alsoGranted is not null)
        {
            granted.Add(await alsoGranted(Host));
        }

        Models = granted.ToDictionary(m => m.Name);
        (Secret, _) = await seed.AddKeyAsync(modelGrants: granted.Select(m => m.Id).ToArray());
    }
}
