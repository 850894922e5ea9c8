using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Auth;

/// <summary>
/// Finds the Odock key wherever a client's SDK puts it: <c>Authorization: Bearer</c> (OpenAI, and today's Anthropic
/// SDKs), <c>x-api-key</c> (Anthropic), <c>x-goog-api-key</c> (Gemini), <c>api-key</c> (Azure OpenAI), or <c>?key=</c>.
/// </summary>
internal static class ApiKeyExtractor
{
    private static readonly string[] Headers = ["x-api-key", "x-goog-api-key", "api-key"];

    public static string? Extract(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return authorization["Bearer ".Length..].Trim();
        }

        foreach (var header in Headers)
        {
            if (request.Headers.TryGetValue(header, out var value) && value.ToString() is { Length: > 0 } key)
            {
                return key.Trim();
            }
        }

        return request.Query.TryGetValue("key", out var query) && query.ToString() is { Length: > 0 } fromQuery ? fromQuery : null;
    }
}
