namespace Odock.Admin.Api.Teams;

internal sealed record MemberRequest(Guid? UserId);
