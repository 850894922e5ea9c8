using System.Text;
using Odock.Gateway.Providers;

namespace Odock.Gateway.Tests;

/// <summary>
/// The event-stream line reader splits exactly as the server-sent events format does (CRLF, LF or CR; a last line
/// without an ending counts), however the provider's bytes arrive, and bounds a line's length.
/// </summary>
public sealed class SseLineReaderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(100_000)]
    public async Task Lines_split_as_the_format_says_whatever_the_reads_return(int readSize)
    {
        var random = new Random(20261125 + readSize);
        for (var round = 0; round < 200; round++)
        {
            var text = RandomStream(random);

            var lines = await ReadAllAsync(Encoding.UTF8.GetBytes(text), readSize);

            Assert.Equal(Reference(text), lines);
        }
    }

    [Fact]
    public async Task A_line_longer_than_the_first_buffer_is_read_whole()
    {
        var longLine = "data: {\"content\":\"" + new string('x', 50_000) + "\"}";

        var lines = await ReadAllAsync(Encoding.UTF8.GetBytes("event: a\r\n" + longLine + "\n\ndata: [DONE]"), 1_000);

        Assert.Equal(["event: a", longLine, "", "data: [DONE]"], lines);
    }

    [Fact]
    public async Task Json_data_is_the_object_of_a_data_line_and_empty_for_any_other()
    {
        var text = "event: message_start\ndata: {\"a\":1}\n: ping\ndata: [DONE]\ndata:{\"b\":2}\n\n";
        using var reader = new SseLineReader(new TrickleStream(Encoding.UTF8.GetBytes(text), 5));
        var data = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None))
        {
            data.Add(Encoding.UTF8.GetString(reader.JsonData.Span));
        }

        Assert.Equal(["", "{\"a\":1}", "", "", "", ""], data);
    }

    [Fact]
    public async Task A_line_past_the_bound_is_a_broken_stream()
    {
        var endless = new byte[SseLineReader.MaxLineBytes + 10];
        endless.AsSpan().Fill((byte)'x');

        await Assert.ThrowsAsync<IOException>(() => ReadAllAsync(endless, 64 * 1024));
    }

    /// <summary>Lines of event-stream-like text with every kind of ending, empty lines, and multi-byte characters.</summary>
    private static string RandomStream(Random random)
    {
        string[] endings = ["\n", "\r\n", "\r"];
        string[] pieces = ["data: {\"a\":1}", "event: message_start", "", ": ping", "data: [DONE]", "héllo wörld ✓", "data: {\"t\":\"\\r\\n\"}"];
        var text = new StringBuilder();
        var count = random.Next(0, 12);
        for (var i = 0; i < count; i++)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
            if (i < count - 1 || random.Next(2) == 0)
            {
                text.Append(endings[random.Next(endings.Length)]);
            }
        }

        return text.ToString();
    }

    /// <summary>What the format reads: split at CRLF, LF or CR; nothing after a final ending.</summary>
    private static List<string> Reference(string text)
    {
        var lines = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is '\r' or '\n')
            {
                lines.Add(text[start..i]);
                if (text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
                {
                    i++;
                }

                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }

    private static async Task<List<string>> ReadAllAsync(byte[] bytes, int readSize)
    {
        using var reader = new SseLineReader(new TrickleStream(bytes, readSize));
        var lines = new List<string>();
        while (await reader.ReadLineAsync(CancellationToken.None))
        {
            lines.Add(Encoding.UTF8.GetString(reader.Line.Span));
        }

        return lines;
    }

    /// <summary>A stream that hands out at most a few bytes per read, as a network does.</summary>
    private sealed class TrickleStream(byte[] bytes, int readSize) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => bytes.Length;

        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = Math.Min(Math.Min(readSize, buffer.Length), bytes.Length - _position);
            bytes.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            return Read(buffer.Span);
        }

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
