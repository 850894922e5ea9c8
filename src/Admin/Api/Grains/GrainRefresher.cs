using Microsoft.Extensions.Logging;
using Odock.Admin.Api.Errors;
using Odock.Cluster;
using Odock.Domain.Budgets;
using Odock.Storage.Repositories;
using Odock.Storage.Store;
using Odock.Grains.ApiKeys;
using Odock.Grains.Budgets;
using Odock.Grains.Catalog;
using Odock.Grains.Limits;
using Odock.Grains.Quotas;

namespace Odock.Admin.Api.Grains;

/// <summary>
/// Tells the grains that cache configuration to reload it after a change is committed, through the cluster client
/// (in-process in local mode), so every gateway sees the change on its next request. When a grain cannot be reached
/// the change is saved but not yet in effect everywhere: the caller gets a 503 and repeating the request (every change
/// here is idempotent) pushes it again. It also reads a budget's or quota's live figures, which only its grain holds.
/// </summary>
internal sealed partial class GrainRefresher
{
    private const int KeyBatch = 200;

    private readonly IGrainFactory _grains;
    private readonly IOdockStore _store;
    private readonly ILogger<GrainRefresher> _logger;

    public GrainRefresher(IGrainFactory grains, IOdockStore store, ILogger<GrainRefresher> logger)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logger);
        _grains = grains;
        _store = store;
        _logger = logger;
    }

    /// <summary>
    /// A key grain learns which budgets and quotas apply to it when it loads, so a new limit is announced to every key it
    /// counts: one key, a user's or a team's keys, or all of an organisation's, a page at a time.
    /// </summary>
    public async Task KeysUnderLimitChangedAsync(Guid organisationId, LimitScope scope, Guid target, CancellationToken cancellationToken)
    {
        var query = scope switch
        {
            LimitScope.Team => new ApiKeyListQuery(organisationId) { TeamId = target },
            LimitScope.User => new ApiKeyListQuery(organisationId) { UserId = target },
            _ => new ApiKeyListQuery(organisationId),
        };
        query = query with { Limit = KeyBatch };
        while (true)
        {
            IReadOnlyList<Domain.ApiKeys.ApiKey> page;
            await using (var session = await _store.OpenAsync(cancellationToken).ConfigureAwait(false))
            {
                page = scope == LimitScope.ApiKey
                    ? (await session.ApiKeys.GetAsync(target, cancellationToken).ConfigureAwait(false) is { } key ? [key] : [])
                    : await session.ApiKeys.ListPageAsync(query, cancellationToken).ConfigureAwait(false);
            }

            await KeyChangedAsync(page.Select(k => k.Hash)).ConfigureAwait(false);
            if (scope == LimitScope.ApiKey || page.Count < KeyBatch)
            {
                return;
            }

            query = query with { After = new KeysetPosition(page[^1].Name, page[^1].Id) };
        }
    }

    /// <summary>Every grain a key answers under: its current secret's hash and those of secrets still in their grace period.</summary>
    public Task KeyChangedAsync(IEnumerable<string> hashes) =>
        RunAsync("api key", hashes.Distinct(StringComparer.Ordinal).Select(hash => _grains.Get<IApiKeyGrain>(hash).Refresh()));

    public Task CatalogChangedAsync(Guid organisationId) =>
        RunAsync("organisation catalog", [_grains.Get<IOrgCatalogGrain>(organisationId.ToString()).Refresh()]);

    public Task ModelChangedAsync(Guid organisationId, Guid modelId) =>
        RunAsync("model", [_grains.Get<IModelLimitGrain>(modelId.ToString()).Refresh(), _grains.Get<IOrgCatalogGrain>(organisationId.ToString()).Refresh()]);

    public Task BudgetChangedAsync(Guid budgetId) => RunAsync("budget", [_grains.Get<IBudgetGrain>(budgetId.ToString()).Refresh()]);

    public Task QuotaChangedAsync(Guid quotaId) => RunAsync("quota", [_grains.Get<IQuotaGrain>(quotaId.ToString()).Refresh()]);

    /// <summary>A budget's or quota's figures now, from its grain; 503 when the grain cannot be reached.</summary>
    public async Task<LimitStatus> StatusAsync<TGrain>(Guid id, string what)
        where TGrain : class, IReservationGrain
    {
        try
        {
            return await _grains.Get<TGrain>(id.ToString()).Status().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ClusterUnavailableException or GrainCallException)
        {
            LogStatusFailed(_logger, what, ex);
            throw new ApiProblemException(503, "Status unavailable", $"The {what} grain could not be reached; repeat the request.", retryAfter: TimeSpan.FromSeconds(1));
        }
    }

    private async Task RunAsync(string what, IEnumerable<Task> refreshes)
    {
        try
        {
            await Task.WhenAll(refreshes).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ClusterUnavailableException or GrainCallException)
        {
            LogRefreshFailed(_logger, what, ex);
            throw new ApiProblemException(
                503,
                "Saved, not yet in effect",
                $"The change is saved, but the {what} grain could not be told about it; repeat the request to push it to the gateways.",
                retryAfter: TimeSpan.FromSeconds(1));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not refresh the {What} grain after an admin change")]
    private static partial void LogRefreshFailed(ILogger logger, string what, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the {What} grain's status")]
    private static partial void LogStatusFailed(ILogger logger, string what, Exception exception);
}
