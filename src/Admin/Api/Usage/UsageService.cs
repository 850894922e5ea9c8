using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Paging;
using Odock.Domain.Users;
using Odock.Storage.Reporting;

namespace Odock.Admin.Api.Usage;

/// <summary>
/// Reading the usage ledger: super admins any organisation (or all), organisation admins their organisation, managers
/// the usage attributed to their teams, users their own usage only. The caller's scope is folded into the filter here,
/// so every listing, aggregate and export of the same request covers exactly the same rows.
/// </summary>
internal sealed class UsageService
{
    /// <summary>The window a request without <c>from</c> covers, ending at <c>to</c> (or now).</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(30);

    private readonly IUsageQueries _queries;
    private readonly TimeProvider _time;

    public UsageService(IUsageQueries queries, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(time);
        _queries = queries;
        _time = time;
    }

    public async Task<Page<UsageRecordResponse>> ListAsync(AdminCall call, UsageQuery query, string? cursor, int limit)
    {
        ArgumentNullException.ThrowIfNull(call);
        var filter = Scope(call.Principal, query);
        UsageCursor? after = null;
        if (cursor is not null && !UsageCursor.TryParse(cursor, out after))
        {
            throw ApiProblemException.Invalid("cursor", "is not a cursor this list returned");
        }

        var page = await _queries.ListAsync(filter, limit, after, call.Cancellation).ConfigureAwait(false);
        return new Page<UsageRecordResponse>(page.Records.Select(UsageRecordResponse.Of).ToArray(), page.Next?.ToToken());
    }

    public async Task<UsageAggregatesResponse> AggregateAsync(AdminCall call, UsageQuery query, UsageGranularity bucket, IReadOnlyList<UsageDimension> groupBy)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(groupBy);
        var filter = Scope(call.Principal, query);
        var rows = await _queries.AggregateAsync(new UsageAggregateQuery(filter, bucket) { GroupBy = groupBy }, call.Cancellation).ConfigureAwait(false);
        return new UsageAggregatesResponse(bucket, groupBy, filter.From, filter.To, rows);
    }

    /// <summary>Writes the rows of a filter that <see cref="Scope"/> produced as CSV, as they are read.</summary>
    public Task<long> ExportCsvAsync(UsageFilter filter, Stream destination, CancellationToken cancellationToken) =>
        _queries.ExportCsvAsync(filter, destination, cancellationToken);

    /// <summary>
    /// The ledger filter for <paramref name="query"/> narrowed to what <paramref name="principal"/> may read; refuses
    /// (403) a filter that names an organisation, team or user outside the caller's reach, and a bad range (400).
    /// </summary>
    public UsageFilter Scope(AdminPrincipal principal, UsageQuery query)
    {
        ArgumentNullException.ThrowIfNull(principal);
        ArgumentNullException.ThrowIfNull(query);
        var (from, to) = Range(query);
        var filter = new UsageFilter(from, to)
        {
            OrganisationId = query.OrganisationId ?? principal.OrganisationId, TeamId = query.TeamId, UserId = query.UserId, ApiKeyId = query.ApiKeyId,
            ModelId = query.ModelId, ProviderId = query.ProviderId, HttpStatus = query.HttpStatus, Succeeded = query.Succeeded,
        };
        if (filter.OrganisationId is { } organisation)
        {
            AccessRules.RequireMember(principal, organisation);
        }

        return principal.Role switch
        {
            UserRole.SuperAdmin or UserRole.OrganisationAdmin => filter,
            UserRole.Manager => filter with { TeamId = ManagedTeam(principal, query.TeamId) },
            _ => filter with { UserId = OwnUser(principal, query.UserId) },
        };
    }

    private (DateTimeOffset From, DateTimeOffset To) Range(UsageQuery query)
    {
        var to = query.To ?? _time.GetUtcNow();
        var from = query.From ?? to - DefaultWindow;
        return to > from ? (from, to) : throw ApiProblemException.Invalid("to", "must be after from");
    }

    private static Guid ManagedTeam(AdminPrincipal principal, Guid? requested)
    {
        if (requested is { } team)
        {
            return principal.TeamIds.Contains(team) ? team : throw ApiProblemException.Forbidden("A manager may only read the usage of their own teams.");
        }

        return principal.TeamIds.Count switch
        {
            0 => throw ApiProblemException.Forbidden("A manager may only read the usage of their own teams, and you belong to none."),
            1 => principal.TeamIds.Single(),
            _ => throw ApiProblemException.Invalid("team_id", "is required: you manage several teams; name the one to read"),
        };
    }

    private static Guid OwnUser(AdminPrincipal principal, Guid? requested) =>
        requested is null || requested == principal.UserId
            ? principal.UserId
            : throw ApiProblemException.Forbidden("You may only read your own usage.");
}
