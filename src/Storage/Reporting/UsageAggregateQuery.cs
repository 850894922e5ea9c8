namespace Odock.Storage.Reporting;

/// <summary>Totals of the rows <see cref="Filter"/> selects, per UTC time bucket, per currency and per each dimension in <see cref="GroupBy"/>.</summary>
public sealed record UsageAggregateQuery(UsageFilter Filter, UsageGranularity Granularity)
{
    public IReadOnlyList<UsageDimension> GroupBy { get; init; } = [];
}
