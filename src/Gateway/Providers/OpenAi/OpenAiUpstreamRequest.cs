using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Odock.Domain.Providers;
using Odock.Gateway.Resolution;

namespace Odock.Gateway.Providers.OpenAi;

/// <summary>
/// A POST to an OpenAI-format provider: its base URL (OpenAI's own when none is set), the provider key as a bearer
/// token, and the extra headers its settings name (<c>header:Name</c>).
/// </summary>
internal static class OpenAiUpstreamRequest
{
    public static HttpRequestMessage Create(ResolvedModel target, string path, JsonObject body)
    {
        var provider = target.Provider;
        var baseUrl = provider.BaseUrl ?? (provider.Type == ProviderType.OpenAi ? "https://api.openai.com/v1" : throw new InvalidOperationException($"Provider '{provider.Name}' has no base URL."));
        var request = new HttpRequestMessage(HttpMethod.Post, baseUrl.TrimEnd('/') + path)
        {
            Content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(body)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (target.ProviderSecret is { Length: > 0 } secret)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        }

        foreach (var (name, value) in provider.Settings)
        {
            if (name.StartsWith("header:", StringComparison.OrdinalIgnoreCase))
            {
                request.Headers.TryAddWithoutValidation(name["header:".Length..], value);
            }
        }

        return request;
    }
}
