using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.ApiKeys;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;

namespace Odock.Admin.Api.Mcp;

internal static class McpServerEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/mcp-servers").WithTags("mcp-servers");
        group.MapGet("/", async (HttpContext http, McpServerService service, string? organisation_id, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false)))
            .Produces<Page<McpServerResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, McpServerService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<McpServerResponse>().ProducesProblem(404);
        group.MapPost("/", async (HttpContext http, McpServerService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<McpServerRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/mcp-servers/{created.Id}", created);
        }).Accepts<McpServerRequest>("application/json").Produces<McpServerResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, McpServerService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<McpServerRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<McpServerRequest>("application/json").Produces<McpServerResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, McpServerService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}/api-keys", async (HttpContext http, Guid id, McpServerService service, string? cursor, string? limit) =>
            AdminResults.Ok(await service.ListGrantedKeysAsync(AdminCall.From(http), id, PageRequest.Parse(cursor, limit, null, null, "name")).ConfigureAwait(false)))
            .Produces<Page<ApiKeyResponse>>().ProducesProblem(404);
    }
}
