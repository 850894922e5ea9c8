using Microsoft.AspNetCore.Http;
using Odock.Domain.ApiKeys;

namespace Odock.Gateway.Auth;

/// <summary>
/// Finds the Odock key wherever a client's SDK puts it: <c>Authorization: Bearer</c> (OpenAI, and today's Anthropic
/// SDKs), <c>x-api-key</c> (Anthropic), <c>x-goog-api-key</c> (Gemini), <c>api-key</c> (Azure OpenAI), or <c>?key=</c>.
/// A request may carry more than one of them: a proxy in front of the client adds its own <c>Authorization</c>, or a
/// client sets both its SDK's header and another. The first that holds an Odock-issued key (<c>odk-…</c>) is taken,
/// wherever it is; when none does (a key imported with a secret of its own), the first in the order above.
/// </summary>
internal static class ApiKeyExtractor
{
    private static readonly string[] Headers = ["x-api-key", "x-goog-api-key", "api-key"];

    public static string? Extract(HttpRequest request)
    {
        string? first = null;
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) && Take(authorization["Bearer ".Length..], ref first) is { } bearer)
        {
            return bearer;
        }

        foreach (var header in Headers)
        {
            if (request.Headers.TryGetValue(header, out var value) && Take(value.ToString(), ref first) is { } key)
            {
                return key;
            }
        }

        if (request.Query.TryGetValue("key", out var query) && Take(query.ToString(), ref first) is { } fromQuery)
        {
            return fromQuery;
        }

        return first;
    }

    /// <summary>The candidate when it is an Odock-issued key; otherwise remembers it if it is the first, and gives null.</summary>
    private static string? Take(string candidate, ref string? first)
    {
        candidate = candidate.Trim();
        if (candidate.Length == 0)
        {
            return null;
        }

        if (candidate.StartsWith(ApiKey.SecretPrefix, StringComparison.Ordinal))
        {
            return candidate;
        }

        first ??= candidate;
        return null;
    }
}
