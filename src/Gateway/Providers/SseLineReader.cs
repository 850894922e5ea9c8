using System.Buffers;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace Odock.Gateway.Providers;

/// <summary>
/// Reads a provider's event stream line by line as UTF-8 bytes, with neither a string nor a task per line: a line is a
/// view into a buffer rented from the shared pool, valid until the next read. Lines end at CRLF, LF or CR, as the
/// server-sent events format allows, and a last line without an ending is still a line. A line longer than
/// <see cref="MaxLineBytes"/> is an <see cref="IOException"/>, as a broken stream is.
/// </summary>
internal sealed class SseLineReader(Stream stream) : IDisposable
{
    /// <summary>The longest line a provider may send; no provider's event comes near it.</summary>
    public const int MaxLineBytes = 8 * 1024 * 1024;

    private const int FirstBufferBytes = 4096;

    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(FirstBufferBytes);
    private int _start;
    private int _end;
    private bool _ended;
    private bool _afterCarriageReturn;

    /// <summary>The line <see cref="ReadLineAsync"/> found, without its ending.</summary>
    public ReadOnlyMemory<byte> Line { get; private set; }

    /// <summary>The JSON object of a <c>data: {…}</c> line, after its field name; empty for any other line.</summary>
    public ReadOnlyMemory<byte> JsonData => Line.Span.StartsWith("data: {"u8) ? Line["data: ".Length..] : default;

    /// <summary>Moves to the next line; false at the end of the stream.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReadLineAsync(CancellationToken cancellationToken)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(SseLineReader));
        while (true)
        {
            if (_afterCarriageReturn && _start < _end)
            {
                // A CR ended the last line; an LF right after it belongs to that ending.
                _start += buffer[_start] == (byte)'\n' ? 1 : 0;
                _afterCarriageReturn = false;
            }

            var pending = buffer.AsSpan(_start, _end - _start);
            var ending = pending.IndexOfAny((byte)'\r', (byte)'\n');
            if (ending >= 0)
            {
                Line = buffer.AsMemory(_start, ending);
                _afterCarriageReturn = pending[ending] == (byte)'\r';
                _start += ending + 1;
                return true;
            }

            if (_ended)
            {
                Line = buffer.AsMemory(_start, _end - _start);
                _start = _end;
                return !Line.IsEmpty;
            }

            buffer = MakeRoom(buffer);
            var read = await stream.ReadAsync(buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            _ended = read == 0;
            _end += read;
        }
    }

    /// <summary>
    /// Relays <see cref="Line"/> untranslated to a client that speaks the provider's own API, and sends what it holds at
    /// the blank line that ends each event (a client acts on whole events only).
    /// </summary>
    public ValueTask<FlushResult> RelayLineAsync(HttpResponse client, CancellationToken cancellationToken)
    {
        var writer = client.BodyWriter;
        writer.Write(Line.Span);
        writer.Write("\n"u8);
        return Line.IsEmpty ? writer.FlushAsync(cancellationToken) : default;
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Moves the unread bytes to the front, and doubles the buffer when they fill it.</summary>
    private byte[] MakeRoom(byte[] buffer)
    {
        var unread = _end - _start;
        if (_start > 0)
        {
            buffer.AsSpan(_start, unread).CopyTo(buffer);
            (_start, _end) = (0, unread);
        }

        if (_end < buffer.Length)
        {
            return buffer;
        }

        if (buffer.Length >= MaxLineBytes)
        {
            throw new IOException($"The provider sent a line longer than {MaxLineBytes} bytes.");
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxLineBytes));
        buffer.AsSpan(0, _end).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        _buffer = larger;
        return larger;
    }
}
