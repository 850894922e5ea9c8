using System.Collections.Concurrent;
using Odock.Storage.Secrets;
using Odock.Storage.Store;

namespace Odock.Gateway.Resolution;

/// <summary>
/// Provider keys decrypted on first use and kept in memory only, by provider key id (a rotated key is a new id).
/// A model without a named key uses its provider's first enabled key.
/// </summary>
internal sealed class ProviderSecrets(IOdockStore store, ISecretProtector protector)
{
    private readonly ConcurrentDictionary<(Guid Provider, Guid? Key), string?> _secrets = new();

    public async ValueTask<string?> GetAsync(Guid providerId, Guid? providerKeyId, CancellationToken cancellationToken)
    {
        if (_secrets.TryGetValue((providerId, providerKeyId), out var cached))
        {
            return cached;
        }

        await using var session = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var keys = await session.ProviderKeys.ListAsync(providerId, cancellationToken).ConfigureAwait(false);
        var key = keys.Where(k => k.Enabled).FirstOrDefault(k => providerKeyId is null || k.Id == providerKeyId);
        var secret = key is null ? null : protector.Unprotect(key.EncryptedSecret);
        _secrets[(providerId, providerKeyId)] = secret;
        return secret;
    }
}
