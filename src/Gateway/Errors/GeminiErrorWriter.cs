using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Errors;

/// <summary>
/// Writes Google's error shape, <c>{"error":{"code","message","status","details"}}</c>, with the canonical status
/// names Google's SDKs read. Odock's own code travels as the <c>reason</c> of a <c>google.rpc.ErrorInfo</c> detail
/// (upper-cased, as Google spells reasons), with the code as sent in the other families and the request id in its
/// metadata. The HTTP status is the one every family answers with, so a spent budget is still 402; Google has no
/// status name for payment, and <c>RESOURCE_EXHAUSTED</c> is the one its clients know for a limit that is used up.
/// </summary>
internal static class GeminiErrorWriter
{
    public static async Task WriteAsync(HttpContext context, GatewayError error)
    {
        if (!ErrorResponse.TryStart(context, error))
        {
            return;
        }

        var response = context.Response;

        await using var writer = new Utf8JsonWriter(response.Body);
        Write(writer, error, response.Headers["x-request-id"].ToString());
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static string StatusOf(int status) => status switch
    {
        400 or 413 or 422 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        402 or 429 => "RESOURCE_EXHAUSTED",
        403 => "PERMISSION_DENIED",
        404 => "NOT_FOUND",
        409 => "ABORTED",
        499 => "CANCELLED",
        501 => "UNIMPLEMENTED",
        502 or 503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        < 500 => "FAILED_PRECONDITION",
        _ => "INTERNAL",
    };

    private static void Write(Utf8JsonWriter writer, GatewayError error, string? requestId)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteNumber("code", error.Status);
        writer.WriteString("message", error.Message);
        writer.WriteString("status", StatusOf(error.Status));
        writer.WriteStartArray("details");
        writer.WriteStartObject();
        writer.WriteString("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        writer.WriteString("reason", error.Code.ToUpperInvariant());
        writer.WriteString("domain", "odock");
        writer.WriteStartObject("metadata");
        writer.WriteString("code", error.Code);
        if (error.Param is not null)
        {
            writer.WriteString("param", error.Param);
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            writer.WriteString("request_id", requestId);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
