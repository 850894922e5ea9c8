using Odock.Admin.Api.Users;

namespace Odock.Admin.Api.Auth;

/// <summary>The signed-in user and when the session ends.</summary>
internal sealed record SessionResponse(UserResponse User, DateTimeOffset ExpiresAt);
