namespace Odock.Storage.Reporting;

/// <summary>What usage aggregates can be grouped by, besides the time bucket and the currency.</summary>
public enum UsageDimension
{
    Team,
    User,
    ApiKey,
    Model,
    Provider,
    HttpStatus,
    Endpoint,
}
