using Odock.Admin.Security;
using Odock.Domain.Audit;
using Odock.Domain.Common;
using Odock.Domain.Users;
using Odock.Storage.Store;

namespace Odock.Admin.Bootstrap;

/// <summary>
/// Creates the super admin and an admin API token the first time Odock starts on an empty database. Runs in one
/// transaction guarded by a settings row, so when several processes start together exactly one of them bootstraps.
/// </summary>
public sealed class FirstRunBootstrapper
{
    public const string CompletedSetting = "bootstrap.completed_at";

    private readonly IOdockStore _store;
    private readonly TimeProvider _time;

    public FirstRunBootstrapper(IOdockStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    /// <summary>Returns what was created, or null when this installation was bootstrapped before.</summary>
    public async Task<BootstrapResult?> RunAsync(BootstrapOptions options, string? suppliedPassword, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var email = User.NormaliseEmail(options.Email);
        if (suppliedPassword is { Length: < PasswordHashing.MinimumLength })
        {
            throw new InvalidOperationException($"{BootstrapOptions.PasswordVariable}: must be at least {PasswordHashing.MinimumLength} characters");
        }

        var now = _time.GetUtcNow();
        await using var session = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        if (!await session.Settings.TryAddAsync(CompletedSetting, SqlInstant(now), now, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var password = suppliedPassword ?? PasswordHashing.Generate();
        var admin = await session.Users.FindByEmailAsync(email, cancellationToken).ConfigureAwait(false);
        if (admin is null)
        {
            admin = new User
            {
                Id = Guid.NewGuid(), Email = email, DisplayName = "Super admin", Role = UserRole.SuperAdmin,
                PasswordHash = PasswordHashing.Hash(password), CreatedAt = now,
            };
            await session.Users.InsertAsync(admin, cancellationToken).ConfigureAwait(false);
        }

        var token = SecretToken.Generate(AdminToken.SecretPrefix);
        await session.AdminTokens.InsertAsync(
            new AdminToken
            {
                Id = Guid.NewGuid(), UserId = admin.Id, Name = "bootstrap", Prefix = SecretToken.DisplayPrefix(token, AdminToken.SecretPrefix),
                Hash = SecretToken.Hash(token), CreatedAt = now,
            },
            cancellationToken).ConfigureAwait(false);
        await session.Audit.AppendAsync(
            new AuditEntry { Id = Guid.NewGuid(), OccurredAt = now, Actor = "system:first-run", Action = "user.created", TargetType = "user", TargetId = admin.Id.ToString() },
            cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new BootstrapResult(email, suppliedPassword is null ? password : null, token);
    }

    private static string SqlInstant(DateTimeOffset now) => now.UtcDateTime.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
}
