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
        if (!ErrorResponse.TryStart(context, error))
        {
            return;
        }

        var response = context.Response;

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
