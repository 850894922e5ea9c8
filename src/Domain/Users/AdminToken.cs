using Odock.Domain.Common;

namespace Odock.Domain.Users;

/// <summary>
/// A bearer token for automating the admin API, acting as its user. Only its SHA-256 hash and a short prefix
/// (for recognising it in lists) are stored; the secret is shown once, when it is created.
/// </summary>
public sealed record AdminToken : IValidatable
{
    public const string SecretPrefix = "odka-";

    public required Guid Id { get; init; }

    public required Guid UserId { get; init; }

    public required string Name { get; init; }

    public required string Prefix { get; init; }

    public required string Hash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? RevokedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public bool IsUsable(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);

    public IReadOnlyList<ValidationProblem> Validate() => new Validator()
        .NotEmpty("id", Id)
        .NotEmpty("user_id", UserId)
        .Name("name", Name)
        .Required("hash", Hash, 64)
        .Required("prefix", Prefix, 32)
        .Problems;
}
