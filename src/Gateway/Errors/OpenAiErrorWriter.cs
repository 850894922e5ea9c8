using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Errors;

/// <summary>
/// Writes <c>{"error":{"message","type","param","code"}}</c> with the type the official OpenAI SDKs map to their
/// exception classes (authentication, permission, not found, rate limit, invalid request, server).
/// </summary>
internal static class OpenAiErrorWriter
{
    public static async Task WriteAsync(HttpContext context, GatewayError error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = error.Status;
        response.ContentType = "application/json";
        if (error.RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await using var writer = new Utf8JsonWriter(response.Body);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", TypeOf(error));
        if (error.Param is null)
        {
            writer.WriteNull("param");
        }
        else
        {
            writer.WriteString("param", error.Param);
        }

        writer.WriteString("code", error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string TypeOf(GatewayError error) => error.Status switch
    {
        400 or 404 or 413 => "invalid_request_error",
        401 => "authentication_error",
        402 => "insufficient_quota",
        403 => "permission_error",
        429 => "rate_limit_error",
        _ => "api_error",
    };
}
