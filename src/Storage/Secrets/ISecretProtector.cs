namespace Odock.Storage.Secrets;

/// <summary>Encrypts secrets before they are stored and decrypts them where they are used (the upstream call).</summary>
public interface ISecretProtector
{
    byte[] Protect(string plaintext);

    /// <summary>Throws <see cref="System.Security.Cryptography.CryptographicException"/> when the ciphertext was tampered with or the key is wrong.</summary>
    string Unprotect(byte[] ciphertext);
}
