using System.Runtime.CompilerServices;
using System.Text;
using Dapper;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using Odock.Storage.Repositories;
using Odock.Storage.Sql;

namespace Odock.Storage.Reporting;

/// <summary>
/// The usage ledger's read side. PostgreSQL aggregates in SQL (an index-only scan of the organisation index, see
/// migrations 0005, 0008 and 0011); SQLite keeps money as TEXT, so its aggregates are summed here in <see cref="decimal"/> from a
/// streamed read rather than by SQLite in floating point.
/// </summary>
internal sealed class UsageQueries : IUsageQueries
{
    public const int MaxPageSize = 10_000;

    private readonly IDbConnectionFactory _connections;

    public UsageQueries(IDbConnectionFactory connections)
    {
        ArgumentNullException.ThrowIfNull(connections);
        SqlTypeHandlers.EnsureRegistered();
        _connections = connections;
    }

    public async Task<UsagePage> ListAsync(UsageFilter filter, int limit, UsageCursor? after = null, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        var where = UsageWhere.For(filter, after);
        where.Parameters.Add("Limit", limit + 1);
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = (await connection.QueryRowsAsync<UsageRepository.Row>(new CommandDefinition(
            $"{UsageRepository.Map.Select} WHERE {where.Sql} ORDER BY occurred_at DESC, id DESC LIMIT @Limit",
            where.Parameters,
            cancellationToken: cancellationToken)).ConfigureAwait(false)).Select(UsageRepository.ToEntity).ToList();

        // One row more than asked tells whether another page exists without a second query.
        if (rows.Count <= limit)
        {
            return new UsagePage(rows, null);
        }

        rows.RemoveAt(limit);
        var last = rows[^1];
        return new UsagePage(rows, new UsageCursor(last.OccurredAt, last.Id));
    }

    public async IAsyncEnumerable<UsageRecord> StreamAsync(UsageFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var where = UsageWhere.For(filter);
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        var rows = connection.StreamRowsAsync<UsageRepository.Row>(new CommandDefinition(
            $"{UsageRepository.Map.Select} WHERE {where.Sql} ORDER BY occurred_at, id",
            where.Parameters,
            cancellationToken: cancellationToken));
        await foreach (var row in rows.ConfigureAwait(false))
        {
            yield return UsageRepository.ToEntity(row);
        }
    }

    public Task<long> ExportCsvAsync(UsageFilter filter, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(destination);
        return UsageCsvWriter.WriteAsync(StreamAsync(filter, cancellationToken), destination, cancellationToken);
    }

    public async Task<IReadOnlyList<UsageAggregate>> AggregateAsync(UsageAggregateQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var where = UsageWhere.For(query.Filter);
        var dimensions = query.GroupBy.Distinct().Order().ToArray();
        await using var connection = await _connections.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (_connections.Engine == StorageEngine.Postgres)
        {
            var sql = PostgresAggregateSql(where.Sql, query.Granularity, dimensions);
            return await connection.QueryRowsAsync<UsageAggregate>(new CommandDefinition(sql, where.Parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }

        var detail = connection.StreamRowsAsync<UsageAggregate>(new CommandDefinition(
            SqliteDetailSql(where.Sql, query.Granularity, dimensions),
            where.Parameters,
            cancellationToken: cancellationToken));
        var totals = new Dictionary<AggregateKey, UsageAggregate>();
        await foreach (var row in detail.ConfigureAwait(false))
        {
            var key = AggregateKey.Of(row);
            totals[key] = totals.TryGetValue(key, out var total) ? Add(total, row) : row;
        }

        return totals.OrderBy(t => t.Key.Bucket)
            .ThenBy(t => t.Key, AggregateKeyOrder.Instance)
            .Select(t => t.Value)
            .ToArray();
    }

    private static string PostgresAggregateSql(string where, UsageGranularity granularity, UsageDimension[] dimensions)
    {
        var unit = granularity == UsageGranularity.Hour ? "hour" : "day";
        var groups = new StringBuilder("bucket_start");
        var select = new StringBuilder($"SELECT date_trunc('{unit}', occurred_at, 'UTC') AS bucket_start");
        foreach (var dimension in dimensions)
        {
            var column = Column(dimension);
            select.Append(", ").Append(column);
            groups.Append(", ").Append(column);
        }

        return select.Append(
            ", currency, COUNT(*) AS requests, COUNT(*) FILTER (WHERE http_status >= 400) AS failed_requests, "
            + "CAST(SUM(input_tokens) AS bigint) AS input_tokens, CAST(SUM(cached_input_tokens) AS bigint) AS cached_input_tokens, "
            + "CAST(SUM(cache_write_tokens) AS bigint) AS cache_write_tokens, "
            + "CAST(SUM(cache_write_one_hour_tokens) AS bigint) AS cache_write_one_hour_tokens, CAST(SUM(output_tokens) AS bigint) AS output_tokens, "
            + "CAST(SUM(reasoning_tokens) AS bigint) AS reasoning_tokens, CAST(SUM(images) AS bigint) AS images, "
            + "SUM(audio_seconds) AS audio_seconds, SUM(audio_output_seconds) AS audio_output_seconds, "
            + "CAST(SUM(characters) AS bigint) AS characters, CAST(SUM(hosted_tool_calls) AS bigint) AS hosted_tool_calls, SUM(cost) AS cost "
            + $"FROM usage_records WHERE {where} GROUP BY {groups}, currency ORDER BY {groups}, currency").ToString();
    }

    private static string SqliteDetailSql(string where, UsageGranularity granularity, UsageDimension[] dimensions)
    {
        // Instants are stored as UTC text ("2026-10-05 14:03:07.25+00:00"), so a bucket is a prefix: the date, or the date and
        // the hour with ":00" so that it reads as an instant.
        var bucket = granularity == UsageGranularity.Hour ? "substr(occurred_at, 1, 13) || ':00'" : "substr(occurred_at, 1, 10)";
        var select = new StringBuilder($"SELECT {bucket} AS bucket_start");
        foreach (var dimension in dimensions)
        {
            select.Append(", ").Append(Column(dimension));
        }

        return select.Append(
            ", currency, 1 AS requests, CASE WHEN http_status >= 400 THEN 1 ELSE 0 END AS failed_requests, input_tokens, "
            + "cached_input_tokens, cache_write_tokens, cache_write_one_hour_tokens, output_tokens, reasoning_tokens, images, "
            + "audio_seconds, audio_output_seconds, characters, hosted_tool_calls, cost "
            + $"FROM usage_records WHERE {where}").ToString();
    }

    // Only the sums differ between the detail rows of one group: the bucket, the dimensions and the currency are its key.
    private static UsageAggregate Add(UsageAggregate total, UsageAggregate row) =>
        total with { FailedRequests = total.FailedRequests + row.FailedRequests, Quantities = total.Quantities + row.Quantities };

    private static string Column(UsageDimension dimension) => dimension switch
    {
        UsageDimension.Team => "team_id",
        UsageDimension.User => "user_id",
        UsageDimension.ApiKey => "api_key_id",
        UsageDimension.Model => "model_id",
        UsageDimension.Provider => "provider_id",
        UsageDimension.HttpStatus => "http_status",
        UsageDimension.Endpoint => "endpoint",
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, null),
    };

    private readonly record struct AggregateKey(DateTimeOffset Bucket, Guid? TeamId, Guid? UserId, Guid? ApiKeyId, Guid? ModelId, Guid? ProviderId, int? HttpStatus, string? Endpoint, string Currency)
    {
        public static AggregateKey Of(UsageAggregate row) =>
            new(row.BucketStart, row.TeamId, row.UserId, row.ApiKeyId, row.ModelId, row.ProviderId, row.HttpStatus, row.Endpoint, row.Currency);
    }

    /// <summary>A stable order of the SQLite path's groups within a bucket.</summary>
    private sealed class AggregateKeyOrder : IComparer<AggregateKey>
    {
        public static readonly AggregateKeyOrder Instance = new();

        public int Compare(AggregateKey x, AggregateKey y)
        {
            var order = Nullable.Compare(x.TeamId, y.TeamId);
            order = order != 0 ? order : Nullable.Compare(x.UserId, y.UserId);
            order = order != 0 ? order : Nullable.Compare(x.ApiKeyId, y.ApiKeyId);
            order = order != 0 ? order : Nullable.Compare(x.ModelId, y.ModelId);
            order = order != 0 ? order : Nullable.Compare(x.ProviderId, y.ProviderId);
            order = order != 0 ? order : Nullable.Compare(x.HttpStatus, y.HttpStatus);
            order = order != 0 ? order : string.CompareOrdinal(x.Endpoint, y.Endpoint);
            return order != 0 ? order : string.CompareOrdinal(x.Currency, y.Currency);
        }
    }
}
