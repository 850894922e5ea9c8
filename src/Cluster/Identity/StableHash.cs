using System.Buffers;
using System.Text;

namespace Odock.Cluster.Identity;

/// <summary>
/// FNV-1a 64-bit over UTF-8, with a final avalanche (the SplitMix64 finaliser) so that keys differing in one
/// character spread over all partitions. Stable across processes, versions and platforms, unlike
/// <see cref="string.GetHashCode()"/>; changing it would move every grain, so it is pinned by a test vector.
/// </summary>
public static class StableHash
{
    private const ulong OffsetBasis = 14695981039346656037UL;
    private const ulong Prime = 1099511628211UL;
    private const int StackBufferBytes = 512;

    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Mix(Append(OffsetBasis, text));
    }

    public static ulong Of(ReadOnlySpan<byte> bytes) => Mix(Append(OffsetBasis, bytes));

    /// <summary>Combines two hashes order-sensitively (for rendezvous scores of partition × silo).</summary>
    public static ulong Combine(ulong first, ulong second) => Mix(first ^ (second + 0x9E3779B97F4A7C15UL + (first << 6) + (first >> 2)));

    /// <summary>
    /// The partition of a grain: the hash of <c>type + "/" + key</c>, modulo the partition count. FNV-1a reads its
    /// input byte by byte, so hashing the three parts in turn gives the hash of their concatenation without building it.
    /// </summary>
    public static int PartitionOf(GrainId id, int partitionCount)
    {
        var hash = Append(OffsetBasis, id.Type);
        hash = (hash ^ '/') * Prime;
        hash = Append(hash, id.Key);
        return (int)(Mix(hash) % (ulong)partitionCount);
    }

    /// <summary>Continues the hash over the UTF-8 of <paramref name="text"/>.</summary>
    private static ulong Append(ulong hash, string text)
    {
        // Type names, key hashes and ids are ASCII, whose UTF-8 is the characters themselves.
        var i = 0;
        for (; i < text.Length; i++)
        {
            var c = text[i];
            if (c >= 0x80)
            {
                break;
            }

            hash = (hash ^ c) * Prime;
        }

        // The rest starts at a non-ASCII character, so encoding it apart cannot split a surrogate pair.
        return i == text.Length ? hash : AppendEncoded(hash, text.AsSpan(i));
    }

    private static ulong AppendEncoded(ulong hash, ReadOnlySpan<char> text)
    {
        var maxBytes = Encoding.UTF8.GetMaxByteCount(text.Length);
        byte[]? rented = null;
        var buffer = maxBytes <= StackBufferBytes ? stackalloc byte[StackBufferBytes] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        try
        {
            var length = Encoding.UTF8.GetBytes(text, buffer);
            return Append(hash, buffer[..length]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static ulong Append(ulong hash, ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }

        return hash;
    }

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
