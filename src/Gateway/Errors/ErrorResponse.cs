using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Errors;

/// <summary>What every family's error answer starts with: the status, JSON, and <c>Retry-After</c> when waiting helps.</summary>
internal static class ErrorResponse
{
    /// <summary>False when the answer has already started (a stream failed midway): nothing more can be said then.</summary>
    public static bool TryStart(HttpContext context, GatewayError error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return false;
        }

        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        return true;
    }
}
