using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Odock.Gateway.Endpoints;

/// <summary>
/// Cross-origin access for web pages that call the gateway from the browser, as the providers' own APIs allow it
/// (<c>Odock:Gateway:CorsAllowedOrigins</c>): a preflight (<c>OPTIONS</c> with <c>Access-Control-Request-Method</c>)
/// under a gateway path gets 204 with the methods and the headers asked for, and an answer to an allowed origin says
/// so and exposes every header (<c>x-request-id</c>, <c>Retry-After</c>, <c>x-odock-overhead-ms</c>...). Keys travel in
/// headers the page sets itself, never in cookies, so no credentials are allowed and nothing a browser sends on its
/// own is trusted. A request without <c>Origin</c> (any server-side client) is untouched.
/// </summary>
internal sealed class BrowserAccess
{
    private const string AnyOrigin = "*";
    private static readonly StringValues Methods = "GET, POST, OPTIONS";
    private static readonly StringValues MaxAge = "86400";

    private readonly bool _anyOrigin;
    private readonly HashSet<string> _origins;

    public BrowserAccess(string? allowedOrigins)
    {
        var origins = Entries(allowedOrigins);
        _anyOrigin = origins.Contains(AnyOrigin, StringComparer.Ordinal);
        _origins = new HashSet<string>(origins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Whether any origin may call: false when the setting is empty, which turns cross-origin access off.</summary>
    public bool Enabled => _anyOrigin || _origins.Count > 0;

    /// <summary>The problems with a setting of allowed origins, for start-up validation.</summary>
    public static IEnumerable<string> Problems(string? allowedOrigins, string setting)
    {
        foreach (var origin in Entries(allowedOrigins))
        {
            if (origin != AnyOrigin && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.PathAndQuery == "/"))
            {
                yield return $"{setting}: '{origin}' is not an origin (a scheme and a host, and a port if not the default, such as https://app.example.com) or *";
            }
        }
    }

    /// <summary>Marks an answer to an allowed origin as readable by its page; does nothing for a request without one.</summary>
    public void Allow(HttpContext context)
    {
        var origin = context.Request.Headers.Origin;
        if (origin.Count == 0 || AllowedOrigin(origin) is not { } allowed)
        {
            return;
        }

        var headers = Permit(context, allowed);
        headers.AccessControlExposeHeaders = AnyOrigin;
    }

    /// <summary>
    /// A preflight's answer: 204 with what the page may send, for an allowed origin; otherwise the path's usual answer
    /// to an <c>OPTIONS</c> (<paramref name="otherwise"/>), which carries no permission, so the browser stops there.
    /// </summary>
    public Task PreflightAsync(HttpContext context, RequestDelegate otherwise)
    {
        var request = context.Request;
        if (request.Headers.AccessControlRequestMethod.Count == 0 || AllowedOrigin(request.Headers.Origin) is not { } allowed)
        {
            return otherwise(context);
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
        var headers = Permit(context, allowed);
        headers.AccessControlAllowMethods = Methods;
        if (request.Headers.AccessControlRequestHeaders is { Count: > 0 } asked)
        {
            headers.AccessControlAllowHeaders = asked;
        }

        headers.AccessControlMaxAge = MaxAge;
        return Task.CompletedTask;
    }

    private static string[] Entries(string? allowedOrigins) =>
        (allowedOrigins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Names the origin allowed; an answer that names one of a list varies by <c>Origin</c>, for caches.</summary>
    private IHeaderDictionary Permit(HttpContext context, string allowed)
    {
        var headers = context.Response.Headers;
        headers.AccessControlAllowOrigin = allowed;
        if (!_anyOrigin)
        {
            headers.Vary = "Origin";
        }

        return headers;
    }

    private string? AllowedOrigin(StringValues origin)
    {
        if (origin.Count != 1 || string.IsNullOrEmpty(origin[0]))
        {
            return null;
        }

        if (_anyOrigin)
        {
            return AnyOrigin;
        }

        return _origins.Contains(origin[0]!) ? origin[0] : null;
    }
}
