using Odock.Domain.Organisations;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class TeamRepository(SqlSession session)
    : CrudRepository<Team, TeamRepository.Row>(session, RowMap, "team"), ITeamRepository
{
    private static readonly TableMap<Row> RowMap = new("teams");

    public Task<Team?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE organisation_id = @OrganisationId AND name = @Name", new { OrganisationId = organisationId, Name = name }, cancellationToken);

    public Task<IReadOnlyList<Team>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY name", new { OrganisationId = organisationId }, cancellationToken);

    public Task AddMemberAsync(Guid teamId, Guid userId, CancellationToken cancellationToken = default) =>
        Session.ExecuteAsync(
            "INSERT INTO team_members (team_id, user_id) VALUES (@TeamId, @UserId) ON CONFLICT DO NOTHING",
            new { TeamId = teamId, UserId = userId },
            "team member",
            cancellationToken);

    public async Task<bool> RemoveMemberAsync(Guid teamId, Guid userId, CancellationToken cancellationToken = default) =>
        await Session.ExecuteAsync(
            "DELETE FROM team_members WHERE team_id = @TeamId AND user_id = @UserId",
            new { TeamId = teamId, UserId = userId },
            "team member",
            cancellationToken).ConfigureAwait(false) > 0;

    public Task<IReadOnlyList<Guid>> ListMembersAsync(Guid teamId, CancellationToken cancellationToken = default) =>
        Session.QueryAsync<Guid>("SELECT user_id FROM team_members WHERE team_id = @TeamId ORDER BY user_id", new { TeamId = teamId }, cancellationToken);

    public Task<IReadOnlyList<Guid>> ListTeamsOfUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        Session.QueryAsync<Guid>("SELECT team_id FROM team_members WHERE user_id = @UserId ORDER BY team_id", new { UserId = userId }, cancellationToken);

    protected override Guid IdOf(Team entity) => entity.Id;

    protected override Row ToRow(Team entity) => new()
    {
        Id = entity.Id, OrganisationId = entity.OrganisationId, Name = entity.Name, Description = entity.Description, CreatedAt = entity.CreatedAt,
    };

    protected override Team ToEntity(Row row) => new()
    {
        Id = row.Id, OrganisationId = row.OrganisationId, Name = row.Name, Description = row.Description, CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
