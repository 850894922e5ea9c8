namespace Odock.Storage.Ledger;

/// <summary>
/// CRC-32 (IEEE 802.3, the polynomial zlib and gzip use) for spool lines, so a line torn by a crash or damaged on disk
/// is recognised; System.IO.Hashing, which would provide it, does not restore here. Tools compute the same value
/// (Python's <c>zlib.crc32</c>), so an operator can write a spool line by hand.
/// </summary>
internal static class Crc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (var i = 0u; i < 256; i++)
        {
            var entry = i;
            for (var bit = 0; bit < 8; bit++)
            {
                entry = (entry & 1) != 0 ? 0xEDB88320u ^ (entry >> 1) : entry >> 1;
            }

            table[i] = entry;
        }

        return table;
    }
}
