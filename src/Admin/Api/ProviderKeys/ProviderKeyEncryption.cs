using System.Security.Cryptography;
using System.Text;
using Odock.Admin.Api.Errors;
using Odock.Storage.Secrets;
using Odock.Storage.Store;

namespace Odock.Admin.Api.ProviderKeys;

/// <summary>
/// The RSA key pair browsers and scripts encrypt provider keys with (RSA-OAEP with SHA-256), so a plaintext provider
/// key never travels in a form post. The private key is stored in the settings table encrypted with the master key;
/// the first process to need it creates it and every other process of the cluster reads the same one.
/// </summary>
internal sealed class ProviderKeyEncryption : IDisposable
{
    public const string Setting = "admin.provider_key_encryption.private_key";
    private const int KeySize = 3072;

    private readonly IOdockStore _store;
    private readonly ISecretProtector _protector;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private RSA? _rsa;

    public ProviderKeyEncryption(IOdockStore store, ISecretProtector protector, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _protector = protector;
        _time = time;
    }

    public async Task<EncryptionKeyResponse> PublicKeyAsync(CancellationToken cancellationToken)
    {
        var rsa = await KeyAsync(cancellationToken).ConfigureAwait(false);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var n = Base64UrlEncode(parameters.Modulus!);
        var e = Base64UrlEncode(parameters.Exponent!);
        // RFC 7638 thumbprint: the required members in lexicographic order, no whitespace.
        var kid = Base64UrlEncode(SHA256.HashData(Encoding.UTF8.GetBytes($$"""{"e":"{{e}}","kty":"RSA","n":"{{n}}"}""")));
        return new EncryptionKeyResponse("RSA-OAEP-256", new EncryptionJwk("RSA", "enc", "RSA-OAEP-256", kid, n, e), rsa.ExportSubjectPublicKeyInfoPem());
    }

    /// <summary>Decrypts base64 RSA-OAEP-256 ciphertext made with the published key; a problem naming <paramref name="field"/> otherwise.</summary>
    public async Task<string> DecryptAsync(string ciphertext, string field, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var rsa = await KeyAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return Encoding.UTF8.GetString(rsa.Decrypt(Convert.FromBase64String(ciphertext), RSAEncryptionPadding.OaepSHA256));
        }
        catch (Exception ex) when (ex is FormatException or CryptographicException)
        {
            throw ApiProblemException.Invalid(field, "is not base64 RSA-OAEP-256 ciphertext made with the key from GET /api/admin/v1/provider-keys/encryption-key");
        }
    }

    public void Dispose()
    {
        _rsa?.Dispose();
        _gate.Dispose();
    }

    private async Task<RSA> KeyAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _rsa) is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_rsa is not null)
            {
                return _rsa;
            }

            await using var session = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
            var stored = await session.Settings.GetAsync(Setting, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                using var fresh = RSA.Create(KeySize);
                var candidate = Convert.ToBase64String(_protector.Protect(Convert.ToBase64String(fresh.ExportPkcs8PrivateKey())));
                // Another process may have created one meanwhile: whichever row landed first is the installation's key.
                await session.Settings.TryAddAsync(Setting, candidate, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
                stored = await session.Settings.GetAsync(Setting, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("The provider key encryption key could not be stored.");
            }

            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(_protector.Unprotect(Convert.FromBase64String(stored))), out _);
            Volatile.Write(ref _rsa, rsa);
            return rsa;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static string Base64UrlEncode(byte[] bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);
}
