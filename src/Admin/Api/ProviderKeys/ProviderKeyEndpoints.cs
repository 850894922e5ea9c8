using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;

namespace Odock.Admin.Api.ProviderKeys;

internal static class ProviderKeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/provider-keys").WithTags("provider-keys");
        group.MapGet("/encryption-key", async (HttpContext http, ProviderKeyEncryption encryption) =>
            AdminResults.Ok(await encryption.PublicKeyAsync(http.RequestAborted).ConfigureAwait(false)))
            .Produces<EncryptionKeyResponse>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, ProviderKeyService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<ProviderKeyResponse>().ProducesProblem(404);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, ProviderKeyService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<ProviderKeyRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<ProviderKeyRequest>("application/json").Produces<ProviderKeyResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, ProviderKeyService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
    }
}
