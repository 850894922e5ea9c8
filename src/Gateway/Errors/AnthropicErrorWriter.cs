using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Errors;

/// <summary>
/// Writes <c>{"type":"error","error":{"type","message"},"request_id"}</c> with the error types the official Anthropic
/// SDKs know (authentication, billing, permission, not found, rate limit, timeout, overloaded, api).
/// </summary>
internal static class AnthropicErrorWriter
{
    public static async Task WriteAsync(HttpContext context, GatewayError error)
    {
        if (!ErrorResponse.TryStart(context, error))
        {
            return;
        }

        var response = context.Response;

        await using var writer = new Utf8JsonWriter(response.Body);
        Write(writer, TypeOf(error.Status), error.Message, error.Code, response.Headers["x-request-id"].ToString());
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    public static void Write(Utf8JsonWriter writer, string type, string message, string? code, string? requestId)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", type);
        writer.WriteString("message", message);
        if (code is not null)
        {
            writer.WriteString("code", code);
        }

        writer.WriteEndObject();
        if (!string.IsNullOrEmpty(requestId))
        {
            writer.WriteString("request_id", requestId);
        }

        writer.WriteEndObject();
    }

    public static string TypeOf(int status) => status switch
    {
        400 or 422 => "invalid_request_error",
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        _ => "api_error",
    };
}
