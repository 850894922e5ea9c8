using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;
using Odock.Domain.Usage;

namespace Odock.Storage.Ledger;

/// <summary>
/// The append-only file where records wait while the database cannot take them. One record a line:
/// <c>&lt;crc32 of the JSON, 8 hex digits&gt; &lt;JSON&gt;\n</c>, flushed to disk before an append returns. The writer
/// replays it from the front in order and empties it once everything in it is in the ledger; a crash in between
/// replays it again, which the ledger's request-id uniqueness makes harmless. Appends from many producers at once
/// share their flushes (group commit): one fsync covers every append written before it began.
/// </summary>
internal sealed class LedgerSpool : IDisposable
{
    public const string FileName = "usage-ledger.spool";

    private const int ChecksumLength = 8;
    private const int MinimumReadSize = 1 << 20;

    private readonly Lock _gate = new();
    private readonly Lock _flushGate = new();
    private readonly SafeFileHandle _file;
    private readonly DeadLetterFile _deadLetters;
    private long _length;
    private long _replayed;
    private long _durable;

    public LedgerSpool(string path, DeadLetterFile deadLetters)
    {
        Path = path;
        _deadLetters = deadLetters;
        _file = File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        _length = RandomAccess.GetLength(_file);
        EndTornLine();
        _durable = _length;
    }

    public string Path { get; }

    /// <summary>True while some spooled record is not yet known to be in the ledger.</summary>
    public bool HasPending => Interlocked.Read(ref _replayed) < Interlocked.Read(ref _length);

    public long PendingBytes => Interlocked.Read(ref _length) - Interlocked.Read(ref _replayed);

    /// <summary>
    /// Appends the records in order. With <paramref name="flushToDisk"/> the call returns once they (and every append
    /// before them) are on disk; without, they are in the operating system's cache, which survives the process but not
    /// the machine, until the next flushed append or <see cref="Flush"/>.
    /// </summary>
    public void Append(IReadOnlyList<UsageRecord> records, bool flushToDisk = true)
    {
        var buffer = new ArrayBufferWriter<byte>(records.Count * 1024);
        foreach (var record in records)
        {
            var json = JsonSerializer.SerializeToUtf8Bytes(record, LedgerJsonContext.Default.UsageRecord);
            var checksum = Crc32.Compute(json).ToString("x8", CultureInfo.InvariantCulture);
            Encoding.ASCII.GetBytes(checksum, buffer.GetSpan(ChecksumLength));
            buffer.Advance(ChecksumLength);
            buffer.Write(" "u8);
            buffer.Write(json);
            buffer.Write("\n"u8);
        }

        long end;
        lock (_gate)
        {
            RandomAccess.Write(_file, buffer.WrittenSpan, _length);
            end = Interlocked.Add(ref _length, buffer.WrittenCount);
        }

        if (flushToDisk)
        {
            FlushTo(end);
        }
    }

    public void Flush() => FlushTo(Interlocked.Read(ref _length));

    private void FlushTo(long end)
    {
        lock (_flushGate)
        {
            if (_durable < end)
            {
                var covered = Interlocked.Read(ref _length);
                RandomAccess.FlushToDisk(_file);
                _durable = covered;
            }
        }
    }

    /// <summary>
    /// Up to <paramref name="maxRecords"/> records from the first one not yet replayed. A line that fails its checksum
    /// or does not parse goes to the dead-letter file with the reason, and reading goes on past it.
    /// </summary>
    public SpoolChunk Read(int maxRecords)
    {
        var records = new List<UsageRecord>();
        lock (_gate)
        {
            var position = _replayed;
            var readSize = MinimumReadSize;
            while (records.Count < maxRecords && position < _length)
            {
                var buffer = new byte[(int)Math.Min(readSize, _length - position)];
                ReadExactly(buffer, position);
                var consumed = ParseLines(buffer, records, maxRecords);
                if (consumed == 0 && buffer.Length == _length - position)
                {
                    break;
                }

                if (consumed == 0)
                {
                    // One line longer than the buffer: read again with room for it.
                    readSize *= 2;
                    continue;
                }

                position += consumed;
            }

            return new SpoolChunk(records, position);
        }
    }

    /// <summary>Marks everything before <paramref name="end"/> as in the ledger; empties the file when that is all of it.</summary>
    public void Replayed(long end)
    {
        lock (_gate)
        {
            Interlocked.Exchange(ref _replayed, end);
            if (_replayed == _length)
            {
                lock (_flushGate)
                {
                    RandomAccess.SetLength(_file, 0);
                    RandomAccess.FlushToDisk(_file);
                    Interlocked.Exchange(ref _length, 0);
                    Interlocked.Exchange(ref _replayed, 0);
                    _durable = 0;
                }
            }
        }
    }

    public void Dispose()
    {
        Flush();
        _file.Dispose();
    }

    private int ParseLines(ReadOnlySpan<byte> buffer, List<UsageRecord> records, int maxRecords)
    {
        var consumed = 0;
        while (records.Count < maxRecords)
        {
            var end = buffer[consumed..].IndexOf((byte)'\n');
            if (end < 0)
            {
                break;
            }

            var line = buffer.Slice(consumed, end);
            consumed += end + 1;
            if (Parse(line) is { } record)
            {
                records.Add(record);
            }
        }

        return consumed;
    }

    private UsageRecord? Parse(ReadOnlySpan<byte> line)
    {
        if (line.Length <= ChecksumLength + 1 || line[ChecksumLength] != (byte)' '
            || !uint.TryParse(line[..ChecksumLength], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var checksum))
        {
            _deadLetters.AddUnreadable(Encoding.UTF8.GetString(line), "spool line is not '<crc32> <json>'");
            return null;
        }

        var json = line[(ChecksumLength + 1)..];
        if (Crc32.Compute(json) != checksum)
        {
            _deadLetters.AddUnreadable(Encoding.UTF8.GetString(line), "spool line fails its checksum (torn by a crash or damaged on disk)");
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(json, LedgerJsonContext.Default.UsageRecord)
                ?? throw new JsonException("the line holds null");
        }
        catch (JsonException ex)
        {
            _deadLetters.AddUnreadable(Encoding.UTF8.GetString(line), $"spool line is not a usage record: {ex.Message}");
            return null;
        }
    }

    /// <summary>A crash can leave half a line at the end; ending it keeps the next append from being glued to it.</summary>
    private void EndTornLine()
    {
        if (_length == 0)
        {
            return;
        }

        Span<byte> last = stackalloc byte[1];
        ReadExactly(last, _length - 1);
        if (last[0] != (byte)'\n')
        {
            RandomAccess.Write(_file, "\n"u8, _length);
            RandomAccess.FlushToDisk(_file);
            _length++;
        }
    }

    private void ReadExactly(Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(_file, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException($"The spool {Path} ended early.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
