using Odock.Admin.Api.Access;
using Odock.Admin.Api.Audit;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Grains;
using Odock.Admin.Api.Providers;
using Odock.Domain.Common;
using Odock.Domain.Providers;
using Odock.Storage.Secrets;
using Odock.Storage.Store;

namespace Odock.Admin.Api.ProviderKeys;

/// <summary>
/// Provider credentials, write-only: accepted as RSA-OAEP-256 ciphertext or plaintext, stored encrypted with the master
/// key, shown only as a hint. Organisation admins manage them; other members see that they exist.
/// </summary>
internal sealed class ProviderKeyService
{
    private readonly IOdockStore _store;
    private readonly TimeProvider _time;
    private readonly AuditTrail _audit;
    private readonly GrainRefresher _grains;
    private readonly ISecretProtector _protector;
    private readonly ProviderKeyEncryption _encryption;

    public ProviderKeyService(IOdockStore store, TimeProvider time, AuditTrail audit, GrainRefresher grains, ISecretProtector protector, ProviderKeyEncryption encryption)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(audit);
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(encryption);
        _store = store;
        _time = time;
        _audit = audit;
        _grains = grains;
        _protector = protector;
        _encryption = encryption;
    }

    public async Task<IReadOnlyList<ProviderKeyResponse>> ListAsync(AdminCall call, Guid providerId)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        await ProviderService.ReadableAsync(session, call, providerId).ConfigureAwait(false);
        return (await session.ProviderKeys.ListAsync(providerId, call.Cancellation).ConfigureAwait(false)).Select(ProviderKeyResponse.Of).ToArray();
    }

    public async Task<ProviderKeyResponse> GetAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        return ProviderKeyResponse.Of((await ReadableAsync(session, call, id).ConfigureAwait(false)).Key);
    }

    public async Task<ProviderKeyResponse> CreateAsync(AdminCall call, Guid providerId, ProviderKeyRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var secret = await SecretOfAsync(request, required: true, call.Cancellation).ConfigureAwait(false);
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var provider = await ProviderService.ReadableAsync(session, call, providerId).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, provider.OrganisationId, "add provider keys");
        var key = new ProviderKey
        {
            Id = Guid.NewGuid(), ProviderId = providerId, Name = request.Name!, EncryptedSecret = _protector.Protect(secret!), SecretHint = ProviderKey.HintOf(secret!),
            Enabled = request.Enabled ?? true, CreatedAt = _time.GetUtcNow(),
        };
        if (request.Name is not null && await session.ProviderKeys.FindByNameAsync(providerId, request.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"The provider '{provider.Name}' already has a key named '{request.Name}'.");
        }

        await session.ProviderKeys.InsertAsync(key, call.Cancellation).ConfigureAwait(false);
        var response = ProviderKeyResponse.Of(key);
        await _audit.RecordAsync(session, call, provider.OrganisationId, "provider_key.created", "provider_key", key.Id, null, response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(provider.OrganisationId).ConfigureAwait(false);
        return response;
    }

    public async Task<ProviderKeyResponse> UpdateAsync(AdminCall call, Guid id, ProviderKeyRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var secret = await SecretOfAsync(request, required: false, call.Cancellation).ConfigureAwait(false);
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var (before, provider) = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, provider.OrganisationId, "change provider keys");
        var after = before with
        {
            Name = request.Name ?? before.Name,
            Enabled = request.Enabled ?? before.Enabled,
            EncryptedSecret = secret is null ? before.EncryptedSecret : _protector.Protect(secret),
            SecretHint = secret is null ? before.SecretHint : ProviderKey.HintOf(secret),
        };
        if (after.Name != before.Name && await session.ProviderKeys.FindByNameAsync(before.ProviderId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"The provider '{provider.Name}' already has a key named '{after.Name}'.");
        }

        await session.ProviderKeys.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = ProviderKeyResponse.Of(after);
        await _audit.RecordAsync(session, call, provider.OrganisationId, secret is null ? "provider_key.updated" : "provider_key.secret_replaced", "provider_key", id, ProviderKeyResponse.Of(before), response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(provider.OrganisationId).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var (key, provider) = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, provider.OrganisationId, "delete provider keys");
        var models = (await session.Models.ListAsync(provider.OrganisationId, call.Cancellation).ConfigureAwait(false)).Where(m => m.ProviderKeyId == id).Select(m => m.Name).ToArray();
        if (models.Length > 0)
        {
            throw ApiProblemException.Conflict($"The provider key '{key.Name}' is used by model(s) {string.Join(", ", models)}; point them at another key first.");
        }

        await session.ProviderKeys.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _audit.RecordAsync(session, call, provider.OrganisationId, "provider_key.deleted", "provider_key", id, ProviderKeyResponse.Of(key), null).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        await _grains.CatalogChangedAsync(provider.OrganisationId).ConfigureAwait(false);
    }

    private async Task<string?> SecretOfAsync(ProviderKeyRequest request, bool required, CancellationToken cancellationToken)
    {
        if (request.Secret is not null && request.EncryptedSecret is not null)
        {
            throw ApiProblemException.Invalid("secret", "give either secret or encrypted_secret, not both");
        }

        var secret = request.EncryptedSecret is { } ciphertext
            ? await _encryption.DecryptAsync(ciphertext, "encrypted_secret", cancellationToken).ConfigureAwait(false)
            : request.Secret;
        if (secret is null)
        {
            return required ? throw ApiProblemException.Invalid("encrypted_secret", "is required (or give the plaintext as secret)") : null;
        }

        var validator = new Validator().Required(request.EncryptedSecret is null ? "secret" : "encrypted_secret", secret, 8192);
        return validator.IsValid ? secret : throw ApiProblemException.Invalid(validator.Problems);
    }

    private static async Task<(ProviderKey Key, Provider Provider)> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var key = await session.ProviderKeys.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("provider key", id);
        var provider = await session.Providers.GetAsync(key.ProviderId, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("provider key", id);
        AccessRules.RequireSameOrganisation(call.Principal, provider.OrganisationId, "provider key", id);
        return (key, provider);
    }
}
