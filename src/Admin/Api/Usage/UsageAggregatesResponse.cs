using Odock.Storage.Reporting;

namespace Odock.Admin.Api.Usage;

/// <summary>The totals per bucket, currency and group, with the range and grouping they were computed for.</summary>
internal sealed record UsageAggregatesResponse(
    UsageGranularity Bucket, IReadOnlyList<UsageDimension> GroupBy, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageAggregate> Data);
