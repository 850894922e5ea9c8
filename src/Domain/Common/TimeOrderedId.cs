using System.Security.Cryptography;

namespace Odock.Domain.Common;

/// <summary>
/// UUID version 7 ids (RFC 9562): the Unix time in milliseconds in the first 48 bits, then 74 random bits, so ids made
/// later sort after earlier ones (to the millisecond) as bytes, as <see cref="Guid"/>s and as text. The same layout as
/// <see cref="Guid.CreateVersion7(DateTimeOffset)"/>, which reads the kernel's random device once per id: on the
/// gateway, with two ids a request, those <c>read</c> system calls were about 1 % of its core at 4,000 req/s
/// (docs/BENCHMARKS.md, "Ninth round"). Here each thread keeps a buffer of random bytes from
/// <see cref="RandomNumberGenerator"/> and refills it every few hundred ids.
/// </summary>
public static class TimeOrderedId
{
    private const int RandomBytesPerId = 10;
    private const int BufferBytes = RandomBytesPerId * 400;

    [ThreadStatic]
    private static byte[]? t_random;

    [ThreadStatic]
    private static int t_next;

    /// <summary>A new id stamped with <paramref name="timestamp"/>, which must not be before the Unix epoch.</summary>
    public static Guid Create(DateTimeOffset timestamp)
    {
        var milliseconds = timestamp.ToUnixTimeMilliseconds();
        ArgumentOutOfRangeException.ThrowIfNegative(milliseconds, nameof(timestamp));

        var random = t_random;
        var next = t_next;
        if (random is null || next > BufferBytes - RandomBytesPerId)
        {
            random = t_random ??= new byte[BufferBytes];
            RandomNumberGenerator.Fill(random);
            next = 0;
        }

        t_next = next + RandomBytesPerId;
        var bits = random.AsSpan(next, RandomBytesPerId);
        Span<byte> bytes = stackalloc byte[16];
        bytes[0] = (byte)(milliseconds >> 40);
        bytes[1] = (byte)(milliseconds >> 32);
        bytes[2] = (byte)(milliseconds >> 24);
        bytes[3] = (byte)(milliseconds >> 16);
        bytes[4] = (byte)(milliseconds >> 8);
        bytes[5] = (byte)milliseconds;
        bytes[6] = (byte)(0x70 | (bits[0] & 0x0F)); // version 7
        bytes[7] = bits[1];
        bytes[8] = (byte)(0x80 | (bits[2] & 0x3F)); // variant 10xx (RFC 9562)
        bits[3..].CopyTo(bytes[9..]);
        return new Guid(bytes, bigEndian: true);
    }
}
