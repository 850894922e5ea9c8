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

    public static ulong Of(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        Span<byte> buffer = text.Length <= 256 ? stackalloc byte[Encoding.UTF8.GetMaxByteCount(text.Length)] : new byte[Encoding.UTF8.GetMaxByteCount(text.Length)];
        var length = Encoding.UTF8.GetBytes(text, buffer);
        return Of(buffer[..length]);
    }

    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = OffsetBasis;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= Prime;
        }

        return Mix(hash);
    }

    /// <summary>Combines two hashes order-sensitively (for rendezvous scores of partition × silo).</summary>
    public static ulong Combine(ulong first, ulong second) => Mix(first ^ (second + 0x9E3779B97F4A7C15UL + (first << 6) + (first >> 2)));

    /// <summary>The partition of a grain: its type and key hashed together, modulo the partition count.</summary>
    public static int PartitionOf(GrainId id, int partitionCount) => (int)(Of(id.Type + "/" + id.Key) % (ulong)partitionCount);

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
