using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Users;

namespace Odock.Admin.Api.Teams;

internal static class TeamEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/teams").WithTags("teams");
        group.MapGet("/", async (HttpContext http, TeamService service, string? organisation_id, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), PageRequest.Parse(cursor, limit, sort, order, "name", "created_at")).ConfigureAwait(false)))
            .Produces<Page<TeamResponse>>();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, TeamService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<TeamResponse>().ProducesProblem(404);
        group.MapPost("/", async (HttpContext http, TeamService service) =>
        {
            var created = await service.CreateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<TeamRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/teams/{created.Id}", created);
        }).Accepts<TeamRequest>("application/json").Produces<TeamResponse>(201).ProducesValidationProblem().ProducesProblem(409);
        group.MapPatch("/{id:guid}", async (HttpContext http, Guid id, TeamService service) =>
            AdminResults.Ok(await service.UpdateAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<TeamRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<TeamRequest>("application/json").Produces<TeamResponse>().ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}", async (HttpContext http, Guid id, TeamService service) =>
        {
            await service.DeleteAsync(AdminCall.From(http), id).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}/members", async (HttpContext http, Guid id, TeamService service) =>
            AdminResults.Ok(await service.ListMembersAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<IReadOnlyList<UserResponse>>().ProducesProblem(404);
        group.MapPost("/{id:guid}/members", async (HttpContext http, Guid id, TeamService service) =>
        {
            var request = await AdminRequests.ReadAsync<MemberRequest>(http).ConfigureAwait(false);
            await service.SetMemberAsync(AdminCall.From(http), id, request.UserId, member: true).ConfigureAwait(false);
            return Results.NoContent();
        }).Accepts<MemberRequest>("application/json").Produces(204).ProducesValidationProblem().ProducesProblem(404);
        group.MapDelete("/{id:guid}/members/{userId:guid}", async (HttpContext http, Guid id, Guid userId, TeamService service) =>
        {
            await service.SetMemberAsync(AdminCall.From(http), id, userId, member: false).ConfigureAwait(false);
            return Results.NoContent();
        }).Produces(204).ProducesProblem(404);
    }
}
