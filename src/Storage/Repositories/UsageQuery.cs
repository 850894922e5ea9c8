namespace Odock.Storage.Repositories;

/// <summary>A slice of one organisation's ledger: [<see cref="From"/>, <see cref="To"/>), newest first.</summary>
public sealed record UsageQuery(Guid OrganisationId, DateTimeOffset From, DateTimeOffset To)
{
    public Guid? ApiKeyId { get; init; }

    public int Limit { get; init; } = 1000;
}
