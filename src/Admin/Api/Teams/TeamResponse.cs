using Odock.Domain.Organisations;

namespace Odock.Admin.Api.Teams;

internal sealed record TeamResponse(Guid Id, Guid OrganisationId, string Name, string? Description, DateTimeOffset CreatedAt)
{
    public static TeamResponse Of(Team team)
    {
        ArgumentNullException.ThrowIfNull(team);
        return new TeamResponse(team.Id, team.OrganisationId, team.Name, team.Description, team.CreatedAt);
    }
}
