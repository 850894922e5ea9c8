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
    public async Task WriteAsync(Stream body, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (IsServerSentEvents)
        {
            await body.WriteAsync("data: "u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            await body.WriteAsync("\r\n\r\n"u8.ToArray(), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await body.WriteAsync(_opened ? ",\r\n"u8.ToArray() : "["u8.ToArray(), cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(response, cancellationToken).ConfigureAwait(false);
            _opened = true;
        }

        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the array (an empty one when nothing came); server-sent events need no closing.</summary>
    public async Task EndAsync(Stream body, CancellationToken cancellationToken)
    {
        if (!IsServerSentEvents)
        {
            await body.WriteAsync(_opened ? "]"u8.ToArray() : "[]"u8.ToArray(), cancellationToken).ConfigureAwait(false);
            _opened = true;
        }

        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
