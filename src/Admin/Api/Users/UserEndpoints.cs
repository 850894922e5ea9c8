using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;

namespace Odock.Admin.Api.Users;

internal static class UserEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("users");
        group.MapGet("/", async (HttpContext http, UserService service, string? organisation_id, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), PageRequest.Parse(cursor, limit, sort, order, "email", "created_at")).ConfigureAwait(false)))
            .Produces<Page<UserResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, UserService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<UserResponse>().ProducesProblem(404);
        group.MapPost("/", async (HttpContext http, UserService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<CreateUserRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/users/{created.Id}", created);
        }).Accepts<CreateUserRequest>("application/json").Produces<UserResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, UserService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<UpdateUserRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<UpdateUserRequest>("application/json").Produces<UserResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, UserService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
    }
}
