using Odock.Domain.Common;

namespace Odock.Domain.Users;

/// <summary>A person who signs in to the admin app. Super admins belong to no organisation; everyone else to exactly one.</summary>
public sealed record User : IValidatable
{
    /// <summary>Sign-in failures in a row after which the account locks for <see cref="LockoutDuration"/>.</summary>
    public const int MaxFailedSignIns = 5;

    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    public required Guid Id { get; init; }

    public Guid? OrganisationId { get; init; }

    /// <summary>Unique across the installation, compared case-insensitively (stored lower case).</summary>
    public required string Email { get; init; }

    public string? DisplayName { get; init; }

    public required UserRole Role { get; init; }

    public UserStatus Status { get; init; } = UserStatus.Active;

    /// <summary>A salted, iterated hash (never the password); null until a password is set.</summary>
    public string? PasswordHash { get; init; }

    public int FailedSignIns { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastSignInAt { get; init; }

    public bool IsLockedOut(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>The state after a failed sign-in: counts it and locks the account when the limit is reached.</summary>
    public User WithFailedSignIn(DateTimeOffset now) => FailedSignIns + 1 >= MaxFailedSignIns
        ? this with { FailedSignIns = 0, LockedUntil = now + LockoutDuration }
        : this with { FailedSignIns = FailedSignIns + 1 };

    public User WithSuccessfulSignIn(DateTimeOffset now) => this with { FailedSignIns = 0, LockedUntil = null, LastSignInAt = now };

    public static string NormaliseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .Email("email", Email)
            .MaxLength("display_name", DisplayName, 200);
        if (Email is not null && Email != NormaliseEmail(Email))
        {
            validator.Add("email", "must be stored trimmed and lower case");
        }

        if (Role == UserRole.SuperAdmin && OrganisationId is not null)
        {
            validator.Add("organisation", "a super admin belongs to no organisation");
        }
        else if (Role != UserRole.SuperAdmin && OrganisationId is null)
        {
            validator.Add("organisation", "is required for every role except super_admin");
        }

        return validator.Problems;
    }
}
