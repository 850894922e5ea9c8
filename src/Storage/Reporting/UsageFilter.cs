namespace Odock.Storage.Reporting;

/// <summary>
/// Which ledger rows a usage query covers: those that occurred in [<see cref="From"/>, <see cref="To"/>) and match
/// every criterion that is set. An unset organisation means every organisation (operators only: callers enforce who
/// may ask for that).
/// </summary>
public sealed record UsageFilter(DateTimeOffset From, DateTimeOffset To)
{
    public Guid? OrganisationId { get; init; }

    public Guid? TeamId { get; init; }

    public Guid? UserId { get; init; }

    public Guid? ApiKeyId { get; init; }

    /// <summary>The model that served the call (its id), whatever name the client asked for.</summary>
    public Guid? ModelId { get; init; }

    public Guid? ProviderId { get; init; }

    public int? HttpStatus { get; init; }

    /// <summary>True: only calls answered below 400; false: only refused or failed ones.</summary>
    public bool? Succeeded { get; init; }
}
