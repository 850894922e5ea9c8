using System.Text.Json;
using Odock.Domain.Usage;

namespace Odock.Storage.Ledger;

/// <summary>
/// The append-only file of records the database refused for their data (JSON lines, each with its reason). Nothing
/// reads it back automatically: a refused record would be refused again, so a person decides (docs/USAGE.md).
/// </summary>
internal sealed class DeadLetterFile(string path, TimeProvider time) : IDisposable
{
    public const string FileName = "usage-ledger.deadletter.jsonl";

    private readonly Lock _gate = new();
    private FileStream? _stream;

    public string Path { get; } = path;

    public void Add(UsageRecord record, string reason) => Append(new DeadLetterEntry(time.GetUtcNow(), reason, record, null));

    public void AddUnreadable(string spoolLine, string reason) => Append(new DeadLetterEntry(time.GetUtcNow(), reason, null, spoolLine));

    public void Dispose()
    {
        lock (_gate)
        {
            _stream?.Dispose();
            _stream = null;
        }
    }

    private void Append(DeadLetterEntry entry)
    {
        var line = JsonSerializer.SerializeToUtf8Bytes(entry, LedgerJsonContext.Default.DeadLetterEntry);
        lock (_gate)
        {
            _stream ??= new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            _stream.Write(line);
            _stream.WriteByte((byte)'\n');
            _stream.Flush(flushToDisk: true);
        }
    }
}
