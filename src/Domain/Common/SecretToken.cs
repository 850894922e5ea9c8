using System.Security.Cryptography;
using System.Text;

namespace Odock.Domain.Common;

/// <summary>
/// Bearer secrets Odock issues (virtual API keys <c>odk-…</c>, admin tokens <c>odka-…</c>): 256 random bits in
/// base62 behind a recognisable prefix. Only the SHA-256 hash is stored, which is enough for secrets this random
/// (no salt or stretching needed: there is nothing to guess), and lets the gateway look a key up in O(1).
/// </summary>
public static class SecretToken
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>How many characters after the prefix are kept in clear to recognise a key in lists.</summary>
    public const int VisibleCharacters = 8;

    public static string Generate(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return prefix + ToBase62(random);
    }

    /// <summary>Lower-case hex SHA-256 of the UTF-8 secret.</summary>
    public static string Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(secret), digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The prefix plus the first few characters, safe to show (<c>odk-7Qb2xZ1k</c>).</summary>
    public static string DisplayPrefix(string secret, string prefix)
    {
        ArgumentNullException.ThrowIfNull(secret);
        ArgumentNullException.ThrowIfNull(prefix);
        return secret[..Math.Min(secret.Length, prefix.Length + VisibleCharacters)];
    }

    /// <summary>True when <paramref name="secret"/> has the prefix and at least 32 base62 characters after it.</summary>
    public static bool HasShape(string? secret, string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (secret is null || !secret.StartsWith(prefix, StringComparison.Ordinal) || secret.Length < prefix.Length + 32 || secret.Length > 200)
        {
            return false;
        }

        foreach (var c in secret.AsSpan(prefix.Length))
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static string ToBase62(ReadOnlySpan<byte> bytes)
    {
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true, isBigEndian: true);
        var builder = new StringBuilder(43);
        while (value > 0)
        {
            value = System.Numerics.BigInteger.DivRem(value, 62, out var remainder);
            builder.Insert(0, Alphabet[(int)remainder]);
        }

        return builder.ToString().PadLeft(43, '0');
    }
}
