using System.Globalization;
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
/// migrations 0005 and 0008); SQLite keeps money as TEXT, so its aggregates are summed here in <see cref="decimal"/> from a
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
        var rows = (await connection.QueryAsync<UsageRepository.Row>(new CommandDefinition(
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
        var rows = connection.QueryUnbufferedAsync<UsageRepository.Row>($"{UsageRepository.Map.Select} WHERE {where.Sql} ORDER BY occurred_at, id", where.Parameters);
        await foreach (var row in rows.WithCancellation(cancellationToken).ConfigureAwait(false))
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
            var rows = await connection.QueryAsync<AggregateRow>(new CommandDefinition(sql, where.Parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
            return rows.Select(r => r.ToAggregate(r.Bucket)).ToArray();
        }

        var detail = connection.QueryUnbufferedAsync<AggregateRow>(SqliteDetailSql(where.Sql, query.Granularity, dimensions), where.Parameters);
        var totals = new Dictionary<AggregateKey, AggregateRow>();
        await foreach (var row in detail.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var key = new AggregateKey(row.BucketText!, row.TeamId, row.UserId, row.ApiKeyId, row.ModelId, row.ProviderId, row.HttpStatus, row.Endpoint, row.Currency);
            if (totals.TryGetValue(key, out var total))
            {
                total.Add(row);
            }
            else
            {
                totals.Add(key, row);
            }
        }

        return totals.OrderBy(t => t.Key.Bucket, StringComparer.Ordinal)
            .ThenBy(t => t.Key, AggregateKeyOrder.Instance)
            .Select(t => t.Value.ToAggregate(ParseSqliteBucket(t.Key.Bucket, query.Granularity)))
            .ToArray();
    }

    private static string PostgresAggregateSql(string where, UsageGranularity granularity, UsageDimension[] dimensions)
    {
        var unit = granularity == UsageGranularity.Hour ? "hour" : "day";
        var groups = new StringBuilder("bucket");
        var select = new StringBuilder($"SELECT date_trunc('{unit}', occurred_at, 'UTC') AS bucket");
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
            + "CAST(SUM(characters) AS bigint) AS characters, SUM(cost) AS cost "
            + $"FROM usage_records WHERE {where} GROUP BY {groups}, currency ORDER BY {groups}, currency").ToString();
    }

    private static string SqliteDetailSql(string where, UsageGranularity granularity, UsageDimension[] dimensions)
    {
        // Instants are stored as UTC text ("2026-10-05 14:03:07.25+00:00"), so a bucket is a prefix: the date, or the date and the hour.
        var length = granularity == UsageGranularity.Hour ? 13 : 10;
        var select = new StringBuilder($"SELECT substr(occurred_at, 1, {length}) AS bucket_text");
        foreach (var dimension in dimensions)
        {
            select.Append(", ").Append(Column(dimension));
        }

        return select.Append(
            ", currency, 1 AS requests, CASE WHEN http_status >= 400 THEN 1 ELSE 0 END AS failed_requests, input_tokens, "
            + "cached_input_tokens, cache_write_tokens, cache_write_one_hour_tokens, output_tokens, reasoning_tokens, images, "
            + "audio_seconds, audio_output_seconds, characters, cost "
            + $"FROM usage_records WHERE {where}").ToString();
    }

    private static DateTimeOffset ParseSqliteBucket(string bucket, UsageGranularity granularity) =>
        DateTimeOffset.ParseExact(
            bucket,
            granularity == UsageGranularity.Hour ? "yyyy-MM-dd HH" : "yyyy-MM-dd",
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

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

    /// <summary>One aggregate as read (PostgreSQL) or one detail row being summed into it (SQLite).</summary>
    private sealed class AggregateRow
    {
        public DateTimeOffset Bucket { get; set; }
        public string? BucketText { get; set; }
        public Guid? TeamId { get; set; }
        public Guid? UserId { get; set; }
        public Guid? ApiKeyId { get; set; }
        public Guid? ModelId { get; set; }
        public Guid? ProviderId { get; set; }
        public int? HttpStatus { get; set; }
        public string? Endpoint { get; set; }
        public string Currency { get; set; } = "";
        public long Requests { get; set; }
        public long FailedRequests { get; set; }
        public long InputTokens { get; set; }
        public long CachedInputTokens { get; set; }
        public long CacheWriteTokens { get; set; }
        public long CacheWriteOneHourTokens { get; set; }
        public long OutputTokens { get; set; }
        public long ReasoningTokens { get; set; }
        public long Images { get; set; }
        public decimal AudioSeconds { get; set; }
        public decimal AudioOutputSeconds { get; set; }
        public long Characters { get; set; }
        public decimal Cost { get; set; }

        public void Add(AggregateRow other)
        {
            Requests += other.Requests;
            FailedRequests += other.FailedRequests;
            InputTokens += other.InputTokens;
            CachedInputTokens += other.CachedInputTokens;
            CacheWriteTokens += other.CacheWriteTokens;
            CacheWriteOneHourTokens += other.CacheWriteOneHourTokens;
            OutputTokens += other.OutputTokens;
            ReasoningTokens += other.ReasoningTokens;
            Images += other.Images;
            AudioSeconds += other.AudioSeconds;
            AudioOutputSeconds += other.AudioOutputSeconds;
            Characters += other.Characters;
            Cost += other.Cost;
        }

        public UsageAggregate ToAggregate(DateTimeOffset bucket) => new()
        {
            BucketStart = bucket,
            TeamId = TeamId,
            UserId = UserId,
            ApiKeyId = ApiKeyId,
            ModelId = ModelId,
            ProviderId = ProviderId,
            HttpStatus = HttpStatus,
            Endpoint = Endpoint,
            Currency = Currency,
            Requests = Requests,
            FailedRequests = FailedRequests,
            InputTokens = InputTokens,
            CachedInputTokens = CachedInputTokens,
            CacheWriteTokens = CacheWriteTokens,
            CacheWriteOneHourTokens = CacheWriteOneHourTokens,
            OutputTokens = OutputTokens,
            ReasoningTokens = ReasoningTokens,
            Images = Images,
            AudioSeconds = AudioSeconds,
            AudioOutputSeconds = AudioOutputSeconds,
            Characters = Characters,
            Cost = Cost,
        };
    }

    private readonly record struct AggregateKey(string Bucket, Guid? TeamId, Guid? UserId, Guid? ApiKeyId, Guid? ModelId, Guid? ProviderId, int? HttpStatus, string? Endpoint, string Currency);

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
