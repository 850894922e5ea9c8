using Odock.Domain.Common;
using Odock.Domain.Users;

namespace Odock.Admin.Api.Auth;

/// <summary>
/// The two bearer secrets of the admin API, both stored as <see cref="AdminToken"/> rows (hash only): personal API tokens
/// (<c>odka-</c>, sent as <c>Authorization: Bearer</c>) and sign-in sessions (<c>odks-</c>, carried by the HttpOnly
/// cookie). Keeping sessions in the database lets every admin process of a cluster accept them and a sign-out end them.
/// </summary>
internal static class AdminCredentials
{
    public const string SessionPrefix = "odks-";

    public static bool IsSession(AdminToken token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.Prefix.StartsWith(SessionPrefix, StringComparison.Ordinal);
    }

    public static (string Secret, AdminToken Token) Issue(Guid userId, string name, string prefix, DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        var secret = SecretToken.Generate(prefix);
        return (secret, new AdminToken
        {
            Id = Guid.NewGuid(), UserId = userId, Name = name, Prefix = SecretToken.DisplayPrefix(secret, prefix), Hash = SecretToken.Hash(secret),
            CreatedAt = now, ExpiresAt = expiresAt,
        });
    }
}
