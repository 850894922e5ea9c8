using System.Runtime.CompilerServices;
using Odock.Gateway.Errors;
using Odock.Gateway.Pipeline;
using Odock.Grains.ApiKeys;
using Odock.Grains.Catalog;

namespace Odock.Gateway.Resolution;

/// <summary>
/// Resolves the Odock model name a client sent, within the key's organisation: an enabled model of that name (404
/// otherwise), granted to the key (403 otherwise), the conditions the model's policy puts on the request (its body
/// size and the client's address: <see cref="ModelAccess"/>), then the endpoint's own checks, then the provider key to
/// use.
/// </summary>
internal sealed class ModelResolver(CatalogCache catalogs, ProviderSecrets secrets)
{
    /// <param name="check">
    /// The endpoint's conditions on the model and its provider (null when the provider is missing or disabled): the
    /// error to answer, or null to go on.
    /// </param>
    public ValueTask<(ResolvedModel? Target, GatewayError? Error)> ResolveAsync(GatewayCall call, KeyGrant grant, string modelName, Func<CatalogModel, CatalogProvider?, GatewayError?> check, CancellationToken cancellationToken) =>
        ResolveAsync(call, grant, modelName, check, static (check, model, provider) => check(model, provider), cancellationToken);

    /// <summary>As above, with the check's <paramref name="state"/> passed to it rather than captured.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(ResolvedModel? Target, GatewayError? Error)> ResolveAsync<TState>(GatewayCall call, KeyGrant grant, string modelName, TState state, Func<TState, CatalogModel, CatalogProvider?, GatewayError?> check, CancellationToken cancellationToken)
    {
        var catalog = await catalogs.GetIndexAsync(grant.OrganisationId).ConfigureAwait(false);
        var model = catalog?.EnabledModel(modelName);
        if (model is null)
        {
            return (null, new GatewayError(404, "model_not_found", $"The model '{modelName}' does not exist.", "model"));
        }

        if (!grant.ModelGrants.Contains(model.Id))
        {
            return (null, new GatewayError(403, "model_not_allowed", $"The API key '{grant.KeyName}' may not use the model '{model.Name}'.", "model"));
        }

        if (catalog!.AccessOf(model.Id)?.Check(model, call.BodyBytes, call.ClientAddress) is { } refusedByModel)
        {
            return (null, refusedByModel);
        }

        var provider = catalog.EnabledProvider(model.ProviderId);
        if (check(state, model, provider) is { } refused)
        {
            return (null, refused);
        }

        if (provider is null)
        {
            return (null, new GatewayError(501, "provider_not_supported", $"The model '{model.Name}' is served by a provider that is disabled or missing."));
        }

        var secret = await secrets.GetAsync(provider.Id, model.ProviderKeyId, cancellationToken).ConfigureAwait(false);
        return (new ResolvedModel(model, provider, secret), null);
    }
}
