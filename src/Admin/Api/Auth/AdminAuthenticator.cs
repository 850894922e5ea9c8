using Microsoft.AspNetCore.Http;
using Odock.Admin.Api.Errors;
using Odock.Domain.Common;
using Odock.Domain.Users;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Auth;

/// <summary>Resolves the caller from <c>Authorization: Bearer odka-…</c> or the session cookie; anything else is a 401.</summary>
internal sealed class AdminAuthenticator
{
    private static readonly TimeSpan LastUseResolution = TimeSpan.FromMinutes(1);

    private readonly IOdockStore _store;
    private readonly TimeProvider _time;

    public AdminAuthenticator(IOdockStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    public async Task<AdminPrincipal> AuthenticateAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var (secret, prefix) = ReadCredential(http.Request);
        if (secret is null)
        {
            throw ApiProblemException.Unauthenticated("Sign in (POST /api/admin/v1/auth/login) or send a personal API token as 'Authorization: Bearer odka-…'.");
        }

        if (!SecretToken.HasShape(secret, prefix))
        {
            throw ApiProblemException.Unauthenticated("The credential is malformed.");
        }

        await using var session = await _store.OpenAsync(http.RequestAborted).ConfigureAwait(false);
        var token = await session.AdminTokens.FindByHashAsync(SecretToken.Hash(secret), http.RequestAborted).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        if (token is null || !token.Prefix.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw ApiProblemException.Unauthenticated("The credential is not valid.");
        }

        if (token.RevokedAt is not null)
        {
            throw ApiProblemException.Unauthenticated("The credential has been revoked.");
        }

        if (!token.IsUsable(now))
        {
            throw ApiProblemException.Unauthenticated("The credential has expired.");
        }

        var user = await session.Users.GetAsync(token.UserId, http.RequestAborted).ConfigureAwait(false);
        if (user is null || user.Status != UserStatus.Active)
        {
            throw ApiProblemException.Unauthenticated("The account behind this credential is disabled.");
        }

        // Admin traffic is light, but a script polling every second should not write every second: a minute's resolution.
        if (token.LastUsedAt is not { } lastUsed || now - lastUsed >= LastUseResolution)
        {
            await session.AdminTokens.TouchAsync(token.Id, now, http.RequestAborted).ConfigureAwait(false);
        }

        var teams = await session.Teams.ListTeamsOfUserAsync(user.Id, http.RequestAborted).ConfigureAwait(false);
        return new AdminPrincipal(user.Id, user.Email, user.Role, user.OrganisationId, teams.ToHashSet(), token.Id);
    }

    private static (string? Secret, string Prefix) ReadCredential(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return (authorization["Bearer ".Length..].Trim(), AdminToken.SecretPrefix);
        }

        return request.Cookies.TryGetValue(AdminApiOptions.CookieName, out var cookie) ? (cookie, AdminCredentials.SessionPrefix) : (null, AdminCredentials.SessionPrefix);
    }
}
