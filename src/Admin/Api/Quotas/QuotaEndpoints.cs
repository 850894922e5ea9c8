using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Limits;
using Odock.Admin.Api.Paging;

namespace Odock.Admin.Api.Quotas;

internal static class QuotaEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/quotas").WithTags("quotas");
        group.MapGet("/", async (HttpContext http, QuotaService service, string? organisation_id, string? target_id, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(
                AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), QueryValues.Id(target_id, "target_id"),
                PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false)))
            .Produces<Page<QuotaResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, QuotaService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<QuotaResponse>().ProducesProblem(404);
        group.MapGet("/{id:guid}/status", async (HttpContext http, Guid id, QuotaService service) =>
            AdminResults.Ok(await service.StatusAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<LimitStatusResponse>().ProducesProblem(404).ProducesProblem(503);
        group.MapPost("/", async (HttpContext http, QuotaService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<QuotaRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/quotas/{created.Id}", created);
        }).Accepts<QuotaRequest>("application/json").Produces<QuotaResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, QuotaService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<QuotaRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<QuotaRequest>("application/json").Produces<QuotaResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, QuotaService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404);
    }
}
