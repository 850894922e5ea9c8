using Odock.Domain.Users;

namespace Odock.Admin.Api.Users;

/// <summary>A new user; without a password they cannot sign in until one is set.</summary>
internal sealed record CreateUserRequest(Guid? OrganisationId, string? Email, string? DisplayName, UserRole? Role, string? Password);
