namespace Odock.Domain.Users;

/// <summary>A user's membership of a team; a user can be in several teams of their organisation.</summary>
public sealed record TeamMembership(Guid TeamId, Guid UserId);
