namespace Odock.Domain.Audit;

/// <summary>
/// Who changed what, when: one entry per administrative change (including configuration-file imports and sign-ins).
/// Entries are only ever appended. <see cref="DetailsJson"/> never holds a secret.
/// </summary>
public sealed record AuditEntry
{
    public required Guid Id { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary>The user, admin token or system component acting (<c>user:ops@acme.example</c>, <c>config-import</c>).</summary>
    public required string Actor { get; init; }

    public Guid? OrganisationId { get; init; }

    /// <summary>What happened, as <c>entity.verb</c> (<c>api_key.created</c>, <c>budget.updated</c>).</summary>
    public required string Action { get; init; }

    public required string TargetType { get; init; }

    public string? TargetId { get; init; }

    public string? DetailsJson { get; init; }
}
