using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;

namespace Odock.Admin.Api.Organisations;

internal static class OrganisationEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/organisations").WithTags("organisations");
        group.MapGet("/", async (HttpContext http, OrganisationService service, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(AdminCall.From(http), PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false)))
            .Produces<Page<OrganisationResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, OrganisationService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<OrganisationResponse>().ProducesProblem(404);
        group.MapPost("/", async (HttpContext http, OrganisationService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<OrganisationRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/organisations/{created.Id}", created);
        }).Accepts<OrganisationRequest>("application/json").Produces<OrganisationResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, OrganisationService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<OrganisationRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<OrganisationRequest>("application/json").Produces<OrganisationResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, OrganisationService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
    }
}
