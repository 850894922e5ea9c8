using Odock.Domain.Organisations;

namespace Odock.Storage.Repositories;

public interface ITeamRepository : IRepository<Team>
{
    Task<Team?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Team>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);

    /// <summary>Adds the user to the team; adding twice is not an error.</summary>
    Task AddMemberAsync(Guid teamId, Guid userId, CancellationToken cancellationToken = default);

    Task<bool> RemoveMemberAsync(Guid teamId, Guid userId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Guid>> ListMembersAsync(Guid teamId, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<Guid>> ListTeamsOfUserAsync(Guid userId, CancellationToken cancellationToken = default);
}
