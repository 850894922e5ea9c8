using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Providers;
using Odock.Gateway.Providers.AzureOpenAi;
using Odock.Gateway.Resolution;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// The HTTP request for an OpenAI-format call, wherever the provider lives: <c>{base}/{operation}</c> with the key as a
/// bearer token and the model replaced by the upstream slug (OpenAI, vLLM, OpenAI-compatible servers), or Azure's
/// deployment URL and <c>api-key</c> header. Provider settings named <c>header.{Name}</c> are sent as extra headers,
/// for servers behind a proxy or with their own tenancy headers. Chat, legacy completions, the other operations and
/// the Responses API all leave through here.
/// </summary>
internal static class OpenAiUpstreamRequest
{
    public const string HeaderSettingPrefix = "header.";

    /// <summary>Parsed addresses by base URL and operation: a URI is parsed once, not on every request.</summary>
    private static readonly ConcurrentDictionary<(string? BaseUrl, ProviderType Type, UpstreamOperation Operation), Uri> Addresses = new();

    /// <summary>The request for <paramref name="body"/>, whose model field this names for the provider (it changes the body).</summary>
    public static HttpRequestMessage Create(ResolvedModel target, UpstreamOperation operation, JsonObject body)
    {
        if (target.Provider.Type == ProviderType.AzureOpenAi)
        {
            // The deployment in the URL names the model; Azure takes no model field.
            body.Remove("model");
        }
        else
        {
            body["model"] = target.Model.UpstreamSlug;
        }

        return Create(target, operation, JsonSerializer.SerializeToUtf8Bytes(body));
    }

    /// <summary>The request for a body already written for the provider (<see cref="OpenAiUpstreamBody"/>).</summary>
    public static HttpRequestMessage Create(ResolvedModel target, UpstreamOperation operation, byte[] body)
    {
        var azure = target.Provider.Type == ProviderType.AzureOpenAi;
        var request = new HttpRequestMessage(HttpMethod.Post, azure ? new Uri(AzureOpenAiAddress.For(target, operation)) : AddressOf(target.Provider, operation))
        {
            Content = new ByteArrayContent(body),
        };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        if (target.ProviderSecret is { Length: > 0 } secret)
        {
            if (azure)
            {
                request.Headers.TryAddWithoutValidation("api-key", secret);
            }
            else
            {
                request.Headers.TryAddWithoutValidation("Authorization", BearerOf(secret));
            }
        }

        foreach (var (name, value) in target.Provider.Settings)
        {
            if (name.StartsWith(HeaderSettingPrefix, StringComparison.OrdinalIgnoreCase) && name.Length > HeaderSettingPrefix.Length)
            {
                request.Headers.TryAddWithoutValidation(name[HeaderSettingPrefix.Length..], value);
            }
        }

        return request;
    }

    /// <summary>
    /// <c>Bearer {secret}</c>, spelled once per provider key: the secret is the same string on every request (kept by
    /// <see cref="ProviderSecrets"/>), so it is looked up by reference and its entry goes when the key is rotated out.
    /// </summary>
    private static string BearerOf(string secret) => BearerHeaders.GetValue(secret, static secret => "Bearer " + secret);

    private static readonly ConditionalWeakTable<string, string> BearerHeaders = new();

    /// <summary>The path of an operation below an OpenAI-style base URL (one ending in <c>/v1</c>).</summary>
    public static string PathOf(UpstreamOperation operation) => operation switch
    {
        UpstreamOperation.ChatCompletions => "chat/completions",
        UpstreamOperation.Completions => "completions",
        UpstreamOperation.Embeddings => "embeddings",
        UpstreamOperation.ImageGenerations => "images/generations",
        UpstreamOperation.Rerank => "rerank",
        UpstreamOperation.Tokenize => "tokenize",
        UpstreamOperation.Detokenize => "detokenize",
        UpstreamOperation.Responses => "responses",
        _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, null),
    };

    private static Uri AddressOf(CatalogProvider provider, UpstreamOperation operation) =>
        Addresses.GetOrAdd((provider.BaseUrl, provider.Type, operation), static (_, state) => new Uri(Address(state.Provider, state.Operation)), (Provider: provider, Operation: operation));

    /// <summary>vLLM serves tokenize and detokenize at the server's root, beside <c>/v1</c> rather than below it.</summary>
    private static string Address(CatalogProvider provider, UpstreamOperation operation)
    {
        var baseUrl = (provider.BaseUrl ?? (provider.Type == ProviderType.OpenAi ? "https://api.openai.com/v1" : throw new InvalidOperationException($"Provider '{provider.Name}' has no base URL."))).TrimEnd('/');
        if (operation is UpstreamOperation.Tokenize or UpstreamOperation.Detokenize && baseUrl.EndsWith("/v1", StringComparison.Ordinal))
        {
            baseUrl = baseUrl[..^"/v1".Length];
        }

        return baseUrl + "/" + PathOf(operation);
    }
}
