using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.ProviderKeys;

namespace Odock.Admin.Api.Providers;

internal static class ProviderEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/providers").WithTags("providers");
        group.MapGet("/", async (HttpContext http, ProviderService service, string? organisation_id, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false)))
            .Produces<Page<ProviderResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, ProviderService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<ProviderResponse>().ProducesProblem(404);
        group.MapPost("/", async (HttpContext http, ProviderService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<ProviderRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/providers/{created.Id}", created);
        }).Accepts<ProviderRequest>("application/json").Produces<ProviderResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, ProviderService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<ProviderRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<ProviderRequest>("application/json").Produces<ProviderResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, ProviderService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}/keys", async (HttpContext http, Guid id, ProviderKeyService keys) =>
            AdminResults.Ok(await keys.ListAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<IReadOnlyList<ProviderKeyResponse>>().ProducesProblem(404);
        group.MapPost("/{id:guid}/keys", async (HttpContext http, Guid id, ProviderKeyService keys) =>
        {
            var created = await keys.CreateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<ProviderKeyRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/provider-keys/{created.Id}", created);
        }).Accepts<ProviderKeyRequest>("application/json").Produces<ProviderKeyResponse>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
    }
}
