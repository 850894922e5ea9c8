namespace Odock.Storage.Reporting;

/// <summary>The width of an aggregate's time bucket, in UTC.</summary>
public enum UsageGranularity
{
    Hour,
    Day,
}
