using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Resources;
using Odock.Admin.Api.Users;
using Odock.Domain.Organisations;
using Odock.Domain.Users;
using Odock.Storage.Repositories;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Teams;

/// <summary>Teams and their members: organisation admins manage them; managers and users see the teams they belong to.</summary>
internal sealed class TeamService
{
    private readonly AuditedStore _store;

    public TeamService(AuditedStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async Task<Page<TeamResponse>> ListAsync(AdminCall call, Guid? organisationId, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        var organisation = OrganisationScope.ForListing(call, organisationId);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var teams = await session.Teams.ListAsync(organisation, call.Cancellation).ConfigureAwait(false);
        var visible = AccessRules.IsOrganisationAdmin(call.Principal) ? teams : teams.Where(t => call.Principal.TeamIds.Contains(t.Id));
        return Pages.Of(visible.Select(TeamResponse.Of), page, t => page.Sort == "created_at" ? UserService.Instant(t.CreatedAt) : t.Name, t => t.Id);
    }

    public Task<TeamResponse> GetAsync(AdminCall call, Guid id) =>
        _store.ReadAsync(call, async session => TeamResponse.Of(await ReadableAsync(session, call, id).ConfigureAwait(false)));

    public async Task<TeamResponse> CreateAsync(AdminCall call, TeamRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var organisation = OrganisationScope.ForCreation(call, request.OrganisationId);
        AccessRules.RequireOrganisationAdmin(call.Principal, organisation, "create teams");
        var team = new Team { Id = Guid.NewGuid(), OrganisationId = organisation, Name = request.Name!, Description = request.Description, CreatedAt = _store.Now };
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        await OrganisationScope.RequireExistsAsync(session, call, organisation).ConfigureAwait(false);

        if (request.Name is not null && await session.Teams.FindByNameAsync(organisation, request.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A team named '{request.Name}' already exists in this organisation.");
        }

        await session.Teams.InsertAsync(team, call.Cancellation).ConfigureAwait(false);
        var response = TeamResponse.Of(team);
        await _store.CommitAsync(session, call, organisation, "team.created", "team", team.Id, null, response).ConfigureAwait(false);
        return response;
    }

    public async Task<TeamResponse> UpdateAsync(AdminCall call, Guid id, TeamRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var before = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, before.OrganisationId, "change teams");
        OrganisationScope.RefuseMove(request.OrganisationId, before.OrganisationId, "a team");

        var after = before with { Name = request.Name ?? before.Name, Description = request.Description ?? before.Description };
        if (after.Name != before.Name && await session.Teams.FindByNameAsync(before.OrganisationId, after.Name, call.Cancellation).ConfigureAwait(false) is not null)
        {
            throw ApiProblemException.Conflict($"A team named '{after.Name}' already exists in this organisation.");
        }

        await session.Teams.UpdateAsync(after, call.Cancellation).ConfigureAwait(false);
        var response = TeamResponse.Of(after);
        await _store.CommitAsync(session, call, before.OrganisationId, "team.updated", "team", id, TeamResponse.Of(before), response).ConfigureAwait(false);
        return response;
    }

    public async Task DeleteAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var team = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, team.OrganisationId, "delete teams");
        var keys = await session.ApiKeys.ListPageAsync(new ApiKeyListQuery(team.OrganisationId) { TeamId = id, Limit = 3 }, call.Cancellation).ConfigureAwait(false);
        if (keys.Count > 0)
        {
            throw ApiProblemException.Conflict($"The team '{team.Name}' is still used by API keys ({string.Join(", ", keys.Select(k => k.Name))}{(keys.Count == 3 ? ", …" : "")}); delete or move them first.");
        }

        await session.Teams.DeleteAsync(id, call.Cancellation).ConfigureAwait(false);
        await _store.CommitAsync(session, call, team.OrganisationId, "team.deleted", "team", id, TeamResponse.Of(team), null).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<UserResponse>> ListMembersAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.ReadAsync(call).ConfigureAwait(false);
        var team = await ReadableAsync(session, call, id).ConfigureAwait(false);
        var members = new List<UserResponse>();
        foreach (var userId in await session.Teams.ListMembersAsync(team.Id, call.Cancellation).ConfigureAwait(false))
        {
            if (await session.Users.GetAsync(userId, call.Cancellation).ConfigureAwait(false) is { } user)
            {
                members.Add(UserResponse.Of(user));
            }
        }

        return members.OrderBy(m => m.Email, StringComparer.Ordinal).ToArray();
    }

    public async Task SetMemberAsync(AdminCall call, Guid id, Guid? userId, bool member)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (userId is not { } user)
        {
            throw ApiProblemException.Invalid("user_id", "is required");
        }

        await using var session = await _store.ChangeAsync(call).ConfigureAwait(false);
        var team = await ReadableAsync(session, call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, team.OrganisationId, "change team membership");
        var target = await session.Users.GetAsync(user, call.Cancellation).ConfigureAwait(false);
        if (target is null || target.OrganisationId != team.OrganisationId)
        {
            throw ApiProblemException.Invalid("user_id", $"no user with id {user} in the team's organisation");
        }

        if (member)
        {
            await session.Teams.AddMemberAsync(id, user, call.Cancellation).ConfigureAwait(false);
        }
        else
        {
            await session.Teams.RemoveMemberAsync(id, user, call.Cancellation).ConfigureAwait(false);
        }

        await _store.CommitAsync(session, call, team.OrganisationId, member ? "team.member_added" : "team.member_removed", "team", id, null, new MemberRequest(user)).ConfigureAwait(false);
    }

    private static async Task<Team> ReadableAsync(IStoreSession session, AdminCall call, Guid id)
    {
        var team = await session.Teams.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("team", id);
        AccessRules.RequireSameOrganisation(call.Principal, team.OrganisationId, "team", id);
        if (!AccessRules.IsOrganisationAdmin(call.Principal) && !call.Principal.TeamIds.Contains(id))
        {
            throw ApiProblemException.Forbidden("You may only see the teams you belong to.");
        }

        return team;
    }
}
