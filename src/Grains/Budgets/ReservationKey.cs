using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Odock.Grains.Budgets;

/// <summary>
/// A reservation id as a <see cref="ReservationBook"/> key. Ids of up to 40 ASCII characters (the gateway's are 36, and
/// 38 for a fallback's later attempts) are copied into the key itself, so a book holds no object per id; longer or
/// non-ASCII ids are held as their string. Equality is exact either way, and one id always takes the same form, so the
/// two forms never meet.
/// </summary>
/// <remarks>
/// Why not the string: a book remembers its last 4,096 completions, about a second and a half of a busy key's traffic.
/// Held as strings, every id outlived the young generation, so each gen0 collection found and copied hundreds of
/// kilobytes of them through the book's old dictionary. At 3,000 requests/s that was most of every pause
/// (docs/BENCHMARKS.md, "Eighth round").
/// </remarks>
internal readonly struct ReservationKey : IEquatable<ReservationKey>
{
    private const int InlineWords = 5;

    private readonly Words _words;
    private readonly string? _text;
    private readonly int _length;

    private ReservationKey(in Words words, int length)
    {
        _words = words;
        _length = length;
        var hash = new HashCode();
        hash.AddBytes(MemoryMarshal.AsBytes((ReadOnlySpan<ulong>)_words));
        Hash = hash.ToHashCode();
    }

    private ReservationKey(string text)
    {
        _text = text;
        _length = -1;
        Hash = string.GetHashCode(text, StringComparison.Ordinal);
    }

    /// <summary>The key's hash, computed once: a book looks a key up in two or three tables per operation.</summary>
    public int Hash { get; }

    public static ReservationKey Of(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        var words = default(Words);
        var bytes = MemoryMarshal.AsBytes((Span<ulong>)words);
        return Ascii.FromUtf16(id, bytes, out var written) == System.Buffers.OperationStatus.Done
            ? new ReservationKey(words, written)
            : new ReservationKey(id);
    }

    public bool Equals(ReservationKey other) =>
        Hash == other.Hash
        && _length == other._length
        && (_text is null
            ? ((ReadOnlySpan<ulong>)_words).SequenceEqual(other._words)
            : string.Equals(_text, other._text, StringComparison.Ordinal));

    public override bool Equals(object? obj) => obj is ReservationKey other && Equals(other);

    public override int GetHashCode() => Hash;

    public override string ToString() =>
        _text ?? Encoding.ASCII.GetString(MemoryMarshal.AsBytes((ReadOnlySpan<ulong>)_words)[.._length]);

    [InlineArray(InlineWords)]
    private struct Words
    {
        private ulong _first;
    }
}
