using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;
using Odock.Domain.ApiKeys;
using Odock.Domain.Routing;

namespace Odock.Admin.Api.ApiKeys;

internal static class ApiKeyEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/api-keys").WithTags("api-keys");
        group.MapGet("/", async (
            HttpContext http, ApiKeyService service, string? organisation_id, string? team_id, string? user_id, string? status, string? name_prefix,
            string? cursor, string? limit, string? sort, string? order) =>
        {
            var filter = new ApiKeyFilter(
                QueryValues.Id(organisation_id, "organisation_id"), QueryValues.Id(team_id, "team_id"), QueryValues.Id(user_id, "user_id"),
                QueryValues.Choice<ApiKeyStatus>(status, "status"), QueryValues.Text(name_prefix, "name_prefix", 64));
            return AdminResults.Ok(await service.ListAsync(AdminCall.From(http), filter, PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false));
        }).Produces<Page<ApiKeyResponse>>().ProducesValidationProblem();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, ApiKeyService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<ApiKeyResponse>().ProducesProblem(404);
        group.MapPost("/", async (HttpContext http, ApiKeyService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<CreateApiKeyRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/api-keys/{created.Key.Id}", created);
        }).Accepts<CreateApiKeyRequest>("application/json").Produces<CreatedApiKeyResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, ApiKeyService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<UpdateApiKeyRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<UpdateApiKeyRequest>("application/json").Produces<ApiKeyResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapPost("/{id:guid}/rotate", async (HttpContext http, Guid id, ApiKeyService service) =>
        {
            var request = http.Request.ContentLength is 0 or null && !http.Request.HasJsonContentType()
                ? new RotateApiKeyRequest(null)
                : await AdminRequests.ReadAsync<RotateApiKeyRequest>(http).ConfigureAwait(false);
            return AdminResults.Ok(await service.RotateAsync(AdminCall.From(http), id, request).ConfigureAwait(false));
        }).Accepts<RotateApiKeyRequest>("application/json").Produces<CreatedApiKeyResponse>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/revoke", async (HttpContext http, Guid id, ApiKeyService service) =>
            AdminResults.Ok(await service.RevokeAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<ApiKeyResponse>().ProducesProblem(404);
        group.MapPost("/{id:guid}/expire", async (HttpContext http, Guid id, ApiKeyService service) =>
            AdminResults.Ok(await service.ExpireAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<ApiKeyResponse>().ProducesProblem(404);
        group.MapGet("/{id:guid}/routing", async (HttpContext http, Guid id, ApiKeyService service) =>
            (await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)).Routing is { } routing
                ? AdminResults.Ok(routing)
                : Results.NoContent())
            .Produces<RoutingPolicy>().Produces(204).ProducesProblem(404).WithTags("routing");
        group.MapPut("/{id:guid}/routing", async (HttpContext http, Guid id, ApiKeyService service) =>
            AdminResults.Ok(await service.SetRoutingAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<RoutingPolicy>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<RoutingPolicy>("application/json").Produces<ApiKeyResponse>().ProducesValidationProblem().ProducesProblem(404).WithTags("routing");
        group.MapDelete("/{id:guid}/routing", async (HttpContext http, Guid id, ApiKeyService service) =>
            AdminResults.Ok(await service.SetRoutingAsync(AdminCall.From(http), id, null).ConfigureAwait(false)))
            .Produces<ApiKeyResponse>().ProducesProblem(404).WithTags("routing");
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, ApiKeyService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
    }
}
