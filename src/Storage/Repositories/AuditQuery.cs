namespace Odock.Storage.Repositories;

/// <summary>One page of the audit log, newest first, continuing after <see cref="After"/> (keyset paging on time and id).</summary>
public sealed record AuditQuery
{
    /// <summary>One organisation's entries; null lists every organisation (super admins only).</summary>
    public Guid? OrganisationId { get; init; }

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    public string? Action { get; init; }

    public string? Actor { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public int Limit { get; init; } = 50;

    public (DateTimeOffset OccurredAt, Guid Id)? After { get; init; }
}
