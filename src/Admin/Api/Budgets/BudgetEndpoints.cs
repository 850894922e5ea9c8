using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Limits;
using Odock.Admin.Api.Paging;

namespace Odock.Admin.Api.Budgets;

internal static class BudgetEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/budgets").WithTags("budgets");
        group.MapGet("/", async (HttpContext http, BudgetService service, string? organisation_id, string? target_id, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(
                AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), QueryValues.Id(target_id, "target_id"),
                PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false)))
            .Produces<Page<BudgetResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, BudgetService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<BudgetResponse>().ProducesProblem(404);
        group.MapGet("/{id:guid}/status", async (HttpContext http, Guid id, BudgetService service) =>
            AdminResults.Ok(await service.StatusAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<LimitStatusResponse>().ProducesProblem(404).ProducesProblem(503);
        group.MapPost("/", async (HttpContext http, BudgetService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<BudgetRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/budgets/{created.Id}", created);
        }).Accepts<BudgetRequest>("application/json").Produces<BudgetResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, BudgetService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<BudgetRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<BudgetRequest>("application/json").Produces<BudgetResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, BudgetService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404);
    }
}
