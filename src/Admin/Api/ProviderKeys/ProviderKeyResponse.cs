using Odock.Domain.Providers;

namespace Odock.Admin.Api.ProviderKeys;

/// <summary>A provider credential as the API shows it: a masked hint (its last four characters), never the secret.</summary>
internal sealed record ProviderKeyResponse(Guid Id, Guid ProviderId, string Name, string SecretHint, bool Enabled, DateTimeOffset CreatedAt)
{
    public static ProviderKeyResponse Of(ProviderKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ProviderKeyResponse(key.Id, key.ProviderId, key.Name, key.SecretHint, key.Enabled, key.CreatedAt);
    }
}
