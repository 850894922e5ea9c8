using System.Buffers;
using System.Runtime.CompilerServices;

namespace Odock.Gateway.Providers;

/// <summary>
/// A whole provider answer read into a buffer rented from the shared pool, for adapters that parse an answer and
/// relay it before they return. <see cref="HttpContent.ReadAsByteArrayAsync()"/> buffers the answer and then copies it
/// into a new array of its exact size, two allocations per request on the gateway's hottest path. Dispose returns
/// the buffer, so <see cref="Memory"/> must not be kept past it.
/// </summary>
internal sealed class UpstreamBody : IDisposable
{
    private const int FirstBufferBytes = 4096;

    private byte[]? _buffer;

    private UpstreamBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        Length = length;
    }

    public int Length { get; }

    public ReadOnlyMemory<byte> Memory => _buffer is { } buffer ? buffer.AsMemory(0, Length) : throw new ObjectDisposedException(nameof(UpstreamBody));

    /// <summary>Reads the answer's whole body; the buffer starts at its declared length when it has one.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public static async ValueTask<UpstreamBody> ReadAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        var buffer = ArrayPool<byte>.Shared.Rent(declared is > 0 and < int.MaxValue / 2 ? (int)declared.Value + 1 : FirstBufferBytes);
        var length = 0;
        try
        {
            await using var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            while (true)
            {
                if (length == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(checked(buffer.Length * 2));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return new UpstreamBody(buffer, length);
                }

                length += read;
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
