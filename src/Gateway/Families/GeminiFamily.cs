using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Gateway.Chat;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>
/// <c>POST /v1beta/models/{model}:generateContent</c>, <c>:streamGenerateContent</c> and <c>:countTokens</c>:
/// Gemini's format in and out, whatever provider serves the model. One instance per request, since the path names the
/// model and the method. Streams are server-sent events with <c>alt=sse</c> (as Google's SDKs ask), and otherwise
/// Google's other framing, one JSON array written piece by piece (<see cref="GeminiStreamFraming"/>).
/// </summary>
internal sealed class GeminiFamily(GeminiRoute route) : IChatFamily
{
    public ApiFamily Family => ApiFamily.Gemini;

    public string Endpoint => route.Method switch
    {
        GeminiMethod.StreamGenerateContent => "gemini.stream_generate_content",
        GeminiMethod.CountTokens => "gemini.count_tokens",
        _ => "gemini.generate_content",
    };

    public (ChatRequest? Request, GatewayError? Error) Parse(ReadOnlyMemory<byte> body, HttpRequest http) => GeminiRequestTranslator.Parse(body, route);

    public Task WriteErrorAsync(HttpContext context, GatewayError error) => GeminiErrorWriter.WriteAsync(context, error);

    public IChatSink CreateSink(HttpContext context, ChatRequest request, string requestId) => new GeminiSink(context, request, requestId);

    /// <summary>The answer to <c>countTokens</c>.</summary>
    public static async Task WriteTokenCountAsync(HttpContext context, long tokens)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteNumber("totalTokens", tokens);
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }
}
