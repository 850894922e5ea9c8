using System.Security.Cryptography;
using System.Text;

namespace Odock.Storage.Secrets;

/// <summary>
/// AES-256-GCM with a fresh 96-bit nonce per secret. Layout: version (1 byte) | nonce (12) | tag (16) | ciphertext.
/// The version byte leaves room for key rotation without guessing what an old blob is.
/// </summary>
public sealed class AesGcmSecretProtector : ISecretProtector
{
    public const int KeySize = 32;
    private const byte Version = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] _key;

    public AesGcmSecretProtector(ReadOnlySpan<byte> key)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"The master key must be {KeySize} bytes, not {key.Length}.", nameof(key));
        }

        _key = key.ToArray();
    }

    public byte[] Protect(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var result = new byte[HeaderSize + clear.Length];
        result[0] = Version;
        var nonce = result.AsSpan(1, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, clear, result.AsSpan(HeaderSize), result.AsSpan(1 + NonceSize, TagSize), [Version]);
        CryptographicOperations.ZeroMemory(clear);
        return result;
    }

    public string Unprotect(byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.Length < HeaderSize || ciphertext[0] != Version)
        {
            throw new CryptographicException("The stored secret is not in a format this version of Odock can read.");
        }

        var clear = new byte[ciphertext.Length - HeaderSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(ciphertext.AsSpan(1, NonceSize), ciphertext.AsSpan(HeaderSize), ciphertext.AsSpan(1 + NonceSize, TagSize), clear, [Version]);
        try
        {
            return Encoding.UTF8.GetString(clear);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(clear);
        }
    }
}
