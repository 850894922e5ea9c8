using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Families;

/// <summary>
/// Writes OpenAI answers as they come. The usage-only final chunk, which Odock always asks providers for so that
/// streams are charged exactly, is withheld from clients that did not ask for it.
/// </summary>
internal sealed class OpenAiChatSink(HttpContext context, bool clientWantsUsage) : IChatSink
{
    public HttpResponse Response => context.Response;

    public async Task WriteCompletionAsync(ReadOnlyMemory<byte> completion, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(completion, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartStreamAsync(CancellationToken cancellationToken)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteChunkAsync(ReadOnlyMemory<byte> chunk, CancellationToken cancellationToken)
    {
        if (!clientWantsUsage && IsUsageOnly(chunk.Span))
        {
            return;
        }

        await StreamFrame.WriteAsync(context.Response, "data: "u8, chunk.Span, "\n\n"u8, cancellationToken).ConfigureAwait(false);
    }

    public async Task EndStreamAsync(CancellationToken cancellationToken)
    {
        await StreamFrame.WriteAsync(context.Response, "data: [DONE]\n\n"u8, default, default, cancellationToken).ConfigureAwait(false);
    }

    public async Task WriteProviderErrorAsync(int status, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
    }

    public Task WriteErrorAsync(GatewayError error) => OpenAiErrorWriter.WriteAsync(context, error);

    private static bool IsUsageOnly(ReadOnlySpan<byte> chunk)
    {
        var reader = new Utf8JsonReader(chunk);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var hasUsage = false;
        var hasChoices = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUsage = reader.ValueTextEquals("usage"u8);
            var isChoices = reader.ValueTextEquals("choices"u8);
            reader.Read();
            hasUsage |= isUsage && reader.TokenType == JsonTokenType.StartObject;
            if (isChoices && reader.TokenType == JsonTokenType.StartArray)
            {
                var peek = reader;
                peek.Read();
                hasChoices = peek.TokenType != JsonTokenType.EndArray;
            }

            reader.Skip();
        }

        return hasUsage && !hasChoices;
    }
}
