using Odock.Domain.Common;
using Odock.Domain.Policies;
using Odock.Domain.Routing;

namespace Odock.Domain.ApiKeys;

/// <summary>
/// A virtual API key: what client applications send instead of provider keys. Stored as the SHA-256 of the secret
/// plus a displayable prefix; grants say which models and MCP servers it may use (none granted means none allowed).
/// </summary>
public sealed record ApiKey : IValidatable
{
    public const string SecretPrefix = "odk-";

    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    /// <summary>Unique within the organisation.</summary>
    public required string Name { get; init; }

    public required string Prefix { get; init; }

    public required string Hash { get; init; }

    public required ApiKeyScope Scope { get; init; }

    public Guid? TeamId { get; init; }

    public Guid? UserId { get; init; }

    public ApiKeyStatus Status { get; init; } = ApiKeyStatus.Active;

    public DateTimeOffset? ExpiresAt { get; init; }

    public IReadOnlyList<Guid> ModelGrants { get; init; } = [];

    public IReadOnlyList<Guid> McpGrants { get; init; } = [];

    public ResourcePolicy Limits { get; init; } = ResourcePolicy.None;

    public RoutingPolicy? Routing { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? LastUsedAt { get; init; }

    public bool IsUsable(DateTimeOffset now) => Status == ApiKeyStatus.Active && (ExpiresAt is null || ExpiresAt > now);

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiry && expiry <= now;

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("organisation_id", OrganisationId)
            .Name("name", Name)
            .Required("hash", Hash, 64)
            .Required("prefix", Prefix, 32);
        switch (Scope)
        {
            case ApiKeyScope.Organisation when TeamId is not null || UserId is not null:
                validator.Add("scope", "an organisation key names no team or user");
                break;
            case ApiKeyScope.Team when TeamId is null:
                validator.Add("team", "is required for a team key");
                break;
            case ApiKeyScope.User when UserId is null:
                validator.Add("user", "is required for a user key");
                break;
        }

        validator.AddRange("limits", Limits.Validate());
        if (Routing is not null)
        {
            validator.AddRange("routing", Routing.Validate());
        }

        return validator.Problems;
    }
}
