using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Families;

/// <summary>
/// How a Gemini stream reaches the client. With <c>?alt=sse</c> (what Google's SDKs ask for) each
/// <c>GenerateContentResponse</c> is a server-sent event; without it Google answers one JSON array written piece by
/// piece: <c>[</c>, then the responses separated by commas as they are produced, then <c>]</c>, so that the whole body
/// is valid JSON once it ends. One instance per stream.
/// </summary>
internal sealed class GeminiStreamFraming
{
    private bool _opened;

    private GeminiStreamFraming(bool serverSentEvents) => IsServerSentEvents = serverSentEvents;

    public bool IsServerSentEvents { get; }

    public string ContentType => IsServerSentEvents ? "text/event-stream" : "application/json";

    public static GeminiStreamFraming For(HttpRequest request) =>
        new(string.Equals(request.Query["alt"], "sse", StringComparison.Ordinal));

    /// <summary>One response, framed and flushed.</summary>
    public async Task WriteAsync(HttpResponse response, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        if (IsServerSentEvents)
        {
            await StreamFrame.WriteAsync(response, "data: "u8, data.Span, "\r\n\r\n"u8, cancellationToken).ConfigureAwait(false);
            return;
        }

        var separator = _opened ? ",\r\n"u8 : "["u8;
        _opened = true;
        await StreamFrame.WriteAsync(response, separator, data.Span, default, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the array (an empty one when nothing came); server-sent events need no closing.</summary>
    public async Task EndAsync(HttpResponse response, CancellationToken cancellationToken)
    {
        var closing = IsServerSentEvents ? default : _opened ? "]"u8 : "[]"u8;
        _opened = true;
        await StreamFrame.WriteAsync(response, closing, default, default, cancellationToken).ConfigureAwait(false);
    }
}
