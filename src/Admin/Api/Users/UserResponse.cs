using Odock.Domain.Users;

namespace Odock.Admin.Api.Users;

/// <summary>A user as the API shows them: never the password hash, only whether a password is set.</summary>
internal sealed record UserResponse(
    Guid Id, Guid? OrganisationId, string Email, string? DisplayName, UserRole Role, UserStatus Status, bool HasPassword,
    DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset? LastSignInAt)
{
    public static UserResponse Of(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new UserResponse(user.Id, user.OrganisationId, user.Email, user.DisplayName, user.Role, user.Status, user.PasswordHash is not null,
            user.LockedUntil, user.CreatedAt, user.LastSignInAt);
    }
}
