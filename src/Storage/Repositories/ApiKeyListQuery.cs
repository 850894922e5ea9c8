using Odock.Domain.ApiKeys;

namespace Odock.Storage.Repositories;

/// <summary>
/// One page of an organisation's keys, filtered and sorted, continuing after <see cref="After"/> (keyset paging: the
/// database seeks to the position through an index instead of counting skipped rows, so page 10,000 costs page 1).
/// </summary>
public sealed record ApiKeyListQuery(Guid OrganisationId)
{
    public Guid? TeamId { get; init; }

    public Guid? UserId { get; init; }

    /// <summary>Only keys of teams this user is a member of (a manager's view).</summary>
    public Guid? TeamsOfMember { get; init; }

    public ApiKeyStatus? Status { get; init; }

    /// <summary>Keys whose name starts with this text.</summary>
    public string? NamePrefix { get; init; }

    public ApiKeySort Sort { get; init; } = ApiKeySort.Name;

    public bool Descending { get; init; }

    public int Limit { get; init; } = 50;

    public KeysetPosition? After { get; init; }
}
