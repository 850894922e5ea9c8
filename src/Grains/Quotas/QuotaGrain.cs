using Odock.Domain.Quotas;
using Odock.Grains.Budgets;
using Odock.Storage.Repositories;
using Odock.Storage.Store;

namespace Odock.Grains.Quotas;

/// <summary>Served requests (one per call that got an answer below HTTP 400) or tokens (input plus output).</summary>
internal sealed class QuotaGrain(IOdockStore store, TimeProvider time) : PeriodLimitGrain(store, time), IQuotaGrain
{
    private QuotaUnit _unit;

    protected override string Kind => "quota";

    protected override async Task<LimitDefinition?> LoadDefinitionAsync(IStoreSession session, Guid id, CancellationToken cancellationToken)
    {
        var quota = await session.Quotas.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (quota is null)
        {
            return null;
        }

        _unit = quota.Unit;
        return new LimitDefinition(quota.Name, quota.Scope, quota.TargetId, quota.Limit, quota.Period, quota.Enabled);
    }

    protected override decimal Settled(LedgerTotal total) => _unit == QuotaUnit.Requests ? total.ServedRequests : total.Tokens;
}
