using System.Buffers;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;
using Odock.Gateway.Errors;

namespace Odock.Gateway.Pipeline;

/// <summary>
/// Reads a request body up to a limit, whatever Content-Length claimed, into an array of its own (so
/// <see cref="RequestText.Check"/> may repair it in place); no body when it is larger. A body sent compressed
/// (<c>Content-Encoding</c> <c>gzip</c>, <c>deflate</c> or <c>br</c>) is decompressed as it is read, and the limit
/// holds for what it decompresses to, so a small body cannot expand past it; any other encoding gets 415 and data
/// that does not decompress 400.
/// </summary>
internal static class RequestBody
{
    /// <summary>The body, or null with no error when it is over <paramref name="limit"/>, or an error.</summary>
    public static ValueTask<(byte[]? Body, GatewayError? Error)> ReadAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var encoding = request.Headers.ContentEncoding;
        if (encoding.Count == 0 || (encoding.Count == 1 && string.Equals(encoding[0], "identity", StringComparison.OrdinalIgnoreCase)))
        {
            return ReadPlainAsync(request, limit, cancellationToken);
        }

        var name = encoding.Count == 1 ? encoding[0]!.Trim().ToLowerInvariant() : encoding.ToString();
        return name switch
        {
            "gzip" or "x-gzip" => ReadDecompressedAsync(new GZipStream(request.Body, CompressionMode.Decompress, leaveOpen: true), name, limit, cancellationToken),
            "deflate" => ReadDecompressedAsync(new ZLibStream(request.Body, CompressionMode.Decompress, leaveOpen: true), name, limit, cancellationToken),
            "br" => ReadDecompressedAsync(new BrotliStream(request.Body, CompressionMode.Decompress, leaveOpen: true), name, limit, cancellationToken),
            _ => ValueTask.FromResult<(byte[]?, GatewayError?)>((null, new GatewayError(
                StatusCodes.Status415UnsupportedMediaType,
                "unsupported_content_encoding",
                $"The request body's Content-Encoding '{name}' is not one Odock reads: send it uncompressed, or as gzip, deflate or br."))),
        };
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<(byte[]? Body, GatewayError? Error)> ReadPlainAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                return (null, null);
            }

            if (read.IsCompleted)
            {
                var bytes = read.Buffer.ToArray();
                reader.AdvanceTo(read.Buffer.End);
                return (bytes, null);
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
    }

    private static async ValueTask<(byte[]? Body, GatewayError? Error)> ReadDecompressedAsync(Stream decompressed, string encoding, long limit, CancellationToken cancellationToken)
    {
        await using (decompressed.ConfigureAwait(false))
        {
            var body = new ArrayBufferWriter<byte>(4096);
            try
            {
                while (true)
                {
                    var read = await decompressed.ReadAsync(body.GetMemory(16 * 1024), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return (body.WrittenSpan.ToArray(), null);
                    }

                    body.Advance(read);
                    if (body.WrittenCount > limit)
                    {
                        return (null, null);
                    }
                }
            }
            catch (InvalidDataException)
            {
                return (null, GatewayError.BadRequest($"The request body is not valid {encoding} data, as its Content-Encoding says it is."));
            }
        }
    }
}
