using Microsoft.Extensions.DependencyInjection;
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
internal sealed class SeededChatGateway(GatewayHost host, FakeOpenAiUpstream? openAi, FakeAnthropicUpstream? anthropic, FakeGeminiUpstream? gemini)
    : IAsyncDisposable
{
    public GatewayHost Host => host;

    /// <summary>The secret of the key granted the <see cref="Models"/>.</summary>
    public string Secret { get; private set; } = "";

    /// <summary>The granted models, by the name clients send.</summary>
    public IReadOnlyDictionary<string, Model> Models { get; private set; } = new Dictionary<string, Model>();

    public FakeOpenAiUpstream OpenAi => openAi ?? throw NotInCatalog(nameof(ChatCatalog.OpenAiCompatible));

    public FakeAnthropicUpstream Anthropic => anthropic ?? throw NotInCatalog(nameof(ChatCatalog.Anthropic));

    public FakeGeminiUpstream Gemini => gemini ?? throw NotInCatalog(nameof(ChatCatalog.Gemini));

    /// <summary>
    /// Starts the host (with <paramref name="options"/> when given) and the fake upstreams the catalog needs, and seeds
    /// them; <paramref name="alsoGranted"/> seeds one more model the key is granted, for a test class that needs a
    /// provider of its own.
    /// </summary>
    public static async Task<SeededChatGateway> StartAsync(ChatCatalog catalog, GatewayOptions? options = null, Func<GatewayHost, Task<Model>>? alsoGranted = null, Action<IServiceCollection>? services = null)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var gateway = new SeededChatGateway(
            await GatewayHost.StartAsync(options, services),
            catalog.OpenAiCompatible is null ? null : await FakeOpenAiUpstream.StartAsync(),
            catalog.Anthropic is null ? null : await FakeAnthropicUpstream.StartAsync(),
            catalog.Gemini is null ? null : await FakeGeminiUpstream.StartAsync());
        await gateway.SeedAsync(catalog, alsoGranted);
        return gateway;
    }

    /// <summary>For <c>alsoGranted</c>: an embeddings model called <paramref name="name"/> on a mock provider of its own.</summary>
    public static Func<GatewayHost, Task<Model>> MockEmbeddings(string name, ModelPricing pricing) =>
        async host => await host.Seed.AddTypedModelAsync(name, ModelType.Embeddings, await host.Seed.AddProviderAsync("embedder", ProviderType.Mock, null), "mock-embed-1", pricing);

    public async ValueTask DisposeAsync()
    {
        foreach (var upstream in new IAsyncDisposable?[] { openAi, anthropic, gemini })
        {
            if (upstream is not null)
            {
                await upstream.DisposeAsync();
            }
        }

        await host.DisposeAsync();
    }

    private static InvalidOperationException NotInCatalog(string providerType) =>
        new($"The catalog names no {providerType} model, so its fake upstream was not started.");

    private async Task SeedAsync(ChatCatalog catalog, Func<GatewayHost, Task<Model>>? alsoGranted)
    {
        var seed = host.Seed;
        var protect = host.Protector.Protect;
        var offline = catalog.Mock is null && catalog.NotGranted is null ? null : await seed.AddProviderAsync("offline", ProviderType.Mock, null);
        var upstream = openAi is null ? null : await seed.AddProviderAsync("upstream", ProviderType.OpenAiCompatible, openAi.BaseUrl, "sk-upstream-secret", protect);
        var claude = anthropic is null ? null : await seed.AddProviderAsync("claude", ProviderType.Anthropic, anthropic.BaseUrl, "sk-ant-secret", protect);
        var google = gemini is null ? null : await seed.AddProviderAsync("google", ProviderType.Gemini, gemini.BaseUrl, "AIza-gemini-secret", protect);
        var granted = new List<Model>();
        foreach (var (name, provider, slug, pricing) in new[]
        {
            (catalog.Mock, offline, "mock-fast-1", catalog.MockPricing ?? catalog.Pricing),
            (catalog.OpenAiCompatible, upstream, "gpt-upstream-1", catalog.Pricing),
            (catalog.Anthropic, claude, "claude-sonnet-x", catalog.Pricing),
            (catalog.Gemini, google, "gemini-2.5-x", catalog.Pricing),
        })
        {
            if (name is not null)
            {
                granted.Add(await seed.AddModelAsync(name, ResourcePolicy.None, provider, slug, pricing));
            }
        }

        if (catalog.NotGranted is { } notGranted)
        {
            await seed.AddModelAsync(notGranted, ResourcePolicy.None, offline);
        }

        if (alsoGranted is not null)
        {
            granted.Add(await alsoGranted(host));
        }

        Models = granted.ToDictionary(m => m.Name);
        (Secret, _) = await seed.AddKeyAsync(modelGrants: granted.Select(m => m.Id).ToArray());
    }
}
