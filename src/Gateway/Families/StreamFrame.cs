using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Families;

/// <summary>
/// One framed piece of a streamed answer (<c>data: {json}\n\n</c>, an array element...) written to the response's
/// pipe in one go and flushed once. Writing the prefix, the data and the suffix to the body stream one by one flushes
/// after each of them, so a client's chunk could leave as three packets and three send calls.
/// </summary>
internal static class StreamFrame
{
    public static ValueTask<FlushResult> WriteAsync(HttpResponse response, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> data, ReadOnlySpan<byte> suffix, CancellationToken cancellationToken)
    {
        var writer = response.BodyWriter;
        writer.Write(prefix);
        writer.Write(data);
        writer.Write(suffix);
        return writer.FlushAsync(cancellationToken);
    }
}
