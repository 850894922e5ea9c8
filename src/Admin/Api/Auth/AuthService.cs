using Odock.Admin.Api.Audit;
using Odock.Admin.Api.Errors;
using Odock.Admin.Security;
using Odock.Admin.Api.Users;
using Odock.Cluster;
using Odock.Domain.Audit;
using Odock.Domain.Common;
using Odock.Domain.Users;
using Odock.Grains.ApiKeys;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Auth;

/// <summary>
/// Sign-in with lockout, sign-out, and personal API tokens. A wrong password counts towards the account's lockout
/// (<see cref="User.MaxFailedSignIns"/> in a row lock it for <see cref="User.LockoutDuration"/>); an unknown email
/// costs the same hashing work as a known one, so timing does not reveal which emails exist.
/// </summary>
internal sealed class AuthService
{
    private static readonly string DecoyHash = PasswordHashing.Hash(PasswordHashing.Generate());

    private readonly IOdockStore _store;
    private readonly TimeProvider _time;
    private readonly AdminApiOptions _options;
    private readonly AuditTrail _audit;
    private readonly IGrainFactory _grains;

    public AuthService(IOdockStore store, TimeProvider time, AdminApiOptions options, AuditTrail audit, IGrainFactory grains)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(audit);
        _store = store;
        _time = time;
        _options = options;
        _audit = audit;
        _grains = grains;
    }

    /// <summary>Returns the session secret for the cookie, and the session.</summary>
    public async Task<(string Secret, SessionResponse Session)> LoginAsync(LoginRequest request, string clientAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new Validator().Email("email", request.Email).Required("password", request.Password, 1024).Problems;
        if (problems.Count > 0)
        {
            throw ApiProblemException.Invalid(problems);
        }

        var guard = _grains.Get<IClientGuardGrain>(SignInGuardKey(clientAddress));
        if (await GuardAsync(guard.BlockedForMs()).ConfigureAwait(false) is > 0 and var blockedMs)
        {
            throw TooManyFailures(blockedMs);
        }

        var now = _time.GetUtcNow();
        await using var session = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var user = await session.Users.FindByEmailAsync(request.Email!, cancellationToken).ConfigureAwait(false);
        if (user is null)
        {
            PasswordHashing.Verify(DecoyHash, request.Password!);
            await GuardAsync(guard.RecordFailure()).ConfigureAwait(false);
            throw WrongCredentials();
        }

        if (user.IsLockedOut(now))
        {
            throw Locked(user.LockedUntil!.Value - now);
        }

        if (!PasswordHashing.Verify(user.PasswordHash, request.Password!))
        {
            var failed = user.WithFailedSignIn(now);
            await session.Users.UpdateAsync(failed, cancellationToken).ConfigureAwait(false);
            await AppendAsync(session, user, failed.IsLockedOut(now) ? "user.locked_out" : "user.sign_in_failed", clientAddress, now, cancellationToken).ConfigureAwait(false);
            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
            await GuardAsync(guard.RecordFailure()).ConfigureAwait(false);
            throw failed.IsLockedOut(now) ? Locked(failed.LockedUntil!.Value - now) : WrongCredentials();
        }

        if (user.Status != UserStatus.Active)
        {
            throw ApiProblemException.Forbidden("This account is disabled.");
        }

        var signedIn = user.WithSuccessfulSignIn(now);
        await session.Users.UpdateAsync(signedIn, cancellationToken).ConfigureAwait(false);
        var expiresAt = now + _options.SessionLifetime;
        var (secret, token) = AdminCredentials.Issue(user.Id, "session", AdminCredentials.SessionPrefix, now, expiresAt);
        await session.AdminTokens.InsertAsync(token, cancellationToken).ConfigureAwait(false);
        await AppendAsync(session, user, "user.signed_in", clientAddress, now, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return (secret, new SessionResponse(UserResponse.Of(signedIn), expiresAt));
    }

    /// <summary>Ends the session (or revokes the token) the request was made with.</summary>
    public async Task LogoutAsync(AdminCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        if (await session.AdminTokens.GetAsync(call.Principal.CredentialId, call.Cancellation).ConfigureAwait(false) is { RevokedAt: null } token)
        {
            await session.AdminTokens.UpdateAsync(token with { RevokedAt = _time.GetUtcNow() }, call.Cancellation).ConfigureAwait(false);
        }
    }

    public async Task<SessionResponse> WhoAmIAsync(AdminCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var user = await session.Users.GetAsync(call.Principal.UserId, call.Cancellation).ConfigureAwait(false)
            ?? throw ApiProblemException.Unauthenticated("The account no longer exists.");
        var credential = await session.AdminTokens.GetAsync(call.Principal.CredentialId, call.Cancellation).ConfigureAwait(false);
        return new SessionResponse(UserResponse.Of(user), credential?.ExpiresAt ?? DateTimeOffset.MaxValue);
    }

    public async Task<CreatedTokenResponse> CreateTokenAsync(AdminCall call, CreateTokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var now = _time.GetUtcNow();
        var expiresAt = request.ExpiresAt ?? now + _options.MaxTokenLifetime;
        var validator = new Validator().Name("name", request.Name);
        if (expiresAt <= now)
        {
            validator.Add("expires_at", "must be in the future");
        }
        else if (expiresAt > now + _options.MaxTokenLifetime)
        {
            validator.Add("expires_at", $"must be at most {_options.MaxTokenLifetime.TotalDays:0} days from now");
        }

        if (!validator.IsValid)
        {
            throw ApiProblemException.Invalid(validator.Problems);
        }

        var (secret, token) = AdminCredentials.Issue(call.Principal.UserId, request.Name!, AdminToken.SecretPrefix, now, expiresAt);
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        await session.AdminTokens.InsertAsync(token, call.Cancellation).ConfigureAwait(false);
        var response = TokenResponse.Of(token);
        await _audit.RecordAsync(session, call, call.Principal.OrganisationId, "admin_token.created", "admin_token", token.Id, null, response).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        return new CreatedTokenResponse(response, secret);
    }

    public async Task<IReadOnlyList<TokenResponse>> ListTokensAsync(AdminCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var tokens = await session.AdminTokens.ListForUserAsync(call.Principal.UserId, call.Cancellation).ConfigureAwait(false);
        return tokens.Where(t => !AdminCredentials.IsSession(t)).Select(TokenResponse.Of).ToArray();
    }

    /// <summary>Revokes one of the caller's own tokens (a super admin may revoke anyone's).</summary>
    public async Task<TokenResponse> RevokeTokenAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        await using var session = await _store.BeginTransactionAsync(call.Cancellation).ConfigureAwait(false);
        var token = await session.AdminTokens.GetAsync(id, call.Cancellation).ConfigureAwait(false);
        if (token is null || AdminCredentials.IsSession(token) || (token.UserId != call.Principal.UserId && !call.Principal.IsSuperAdmin))
        {
            throw ApiProblemException.NotFound("admin token", id);
        }

        var revoked = token.RevokedAt is null ? token with { RevokedAt = _time.GetUtcNow() } : token;
        await session.AdminTokens.UpdateAsync(revoked, call.Cancellation).ConfigureAwait(false);
        await _audit.RecordAsync(session, call, call.Principal.OrganisationId, "admin_token.revoked", "admin_token", id, TokenResponse.Of(token), TokenResponse.Of(revoked)).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
        return TokenResponse.Of(revoked);
    }

    /// <summary>
    /// Failed sign-ins are also counted per client address, across accounts (the gateway's guard grain, under a key
    /// of its own): one address trying a password on many accounts, which no account's lockout sees, is refused for a
    /// minute past 20 failures a minute. The guard is advisory: with the cluster unreachable, sign-in relies on the
    /// account lockouts alone rather than locking every administrator out.
    /// </summary>
    private static string SignInGuardKey(string clientAddress) => "admin-sign-in/" + clientAddress;

    private static async Task<long> GuardAsync(Task<long> call)
    {
        try
        {
            return await call.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ClusterUnavailableException or GrainCallException)
        {
            return 0;
        }
    }

    private static ApiProblemException TooManyFailures(long blockedMs) => new(
        429,
        "Too Many Requests",
        "Too many failed sign-ins from this address: try again in a minute.",
        retryAfter: TimeSpan.FromMilliseconds(blockedMs));

    private static ApiProblemException WrongCredentials() => ApiProblemException.Unauthenticated("The email or the password is wrong.");

    private static ApiProblemException Locked(TimeSpan left) => new(
        423,
        "Locked",
        $"Too many failed sign-ins: the account is locked for {Math.Ceiling(left.TotalMinutes):0} more minute(s).",
        retryAfter: left);

    private static Task AppendAsync(IStoreSession session, User user, string action, string clientAddress, DateTimeOffset now, CancellationToken cancellationToken) =>
        session.Audit.AppendAsync(
            new AuditEntry
            {
                Id = Guid.CreateVersion7(now), OccurredAt = now, Actor = $"user:{user.Email}", OrganisationId = user.OrganisationId, Action = action,
                TargetType = "user", TargetId = user.Id.ToString(), DetailsJson = $$"""{"client_address":{{System.Text.Json.JsonSerializer.Serialize(clientAddress)}}}""",
            },
            cancellationToken);
}
