using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Errors;

/// <summary>Writes the Odock chat error shape, <c>{"error":{"code","message","param","request_id"}}</c>, with the status.</summary>
internal static class OdockErrorWriter
{
    public static async Task WriteAsync(HttpContext context, GatewayError error)
    {
        if (!ErrorResponse.TryStart(context, error))
        {
            return;
        }

        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        WriteError(writer, error, context.Response.Headers["x-request-id"].ToString());
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The <c>error</c> property, also the body of a stream's <c>error</c> event.</summary>
    public static void WriteError(Utf8JsonWriter writer, GatewayError error, string? requestId)
    {
        writer.WriteStartObject("error");
        writer.WriteString("code", error.Code);
        writer.WriteString("message", error.Message);
        if (error.Param is null)
        {
            writer.WriteNull("param");
        }
        else
        {
            writer.WriteString("param", error.Param);
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            writer.WriteString("request_id", requestId);
        }

        writer.WriteEndObject();
    }
}
