using Odock.Domain.Users;

namespace Odock.Admin.Api.Auth;

/// <summary>A personal API token as lists show it: the prefix identifies it, the secret is never shown again.</summary>
internal sealed record TokenResponse(Guid Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt)
{
    public static TokenResponse Of(AdminToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return new TokenResponse(token.Id, token.Name, token.Prefix, token.CreatedAt, token.ExpiresAt, token.RevokedAt, token.LastUsedAt);
    }
}
