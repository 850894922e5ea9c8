using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.ApiKeys;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;

namespace Odock.Admin.Api.Models;

internal static class ModelEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/models").WithTags("models");
        group.MapGet("/", async (HttpContext http, ModelService service, string? organisation_id, string? provider_id, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(
                AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), QueryValues.Id(provider_id, "provider_id"),
                PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false)))
            .Produces<Page<ModelResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, ModelService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<ModelResponse>().ProducesProblem(404);
        group.MapPost("/", async (HttpContext http, ModelService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<ModelRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/models/{created.Id}", created);
        }).Accepts<ModelRequest>("application/json").Produces<ModelResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, ModelService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<ModelRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<ModelRequest>("application/json").Produces<ModelResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, ModelService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}/api-keys", async (HttpContext http, Guid id, ModelService service, string? cursor, string? limit) =>
            AdminResults.Ok(await service.ListGrantedKeysAsync(AdminCall.From(http), id, PageRequest.Parse(cursor, limit, null, null, "name")).ConfigureAwait(false)))
            .Produces<Page<ApiKeyResponse>>().ProducesProblem(404);
    }
}
