using Odock.Domain.Users;

namespace Odock.Admin.Api.Users;

/// <summary>A partial update: fields left out keep their value. Setting a password also clears a lockout.</summary>
internal sealed record UpdateUserRequest(string? DisplayName, UserRole? Role, UserStatus? Status, string? Password);
