using Odock.Storage.Repositories;
using Odock.Storage.Store;

namespace Odock.Grains.Budgets;

/// <summary>Money in the budget's currency; ledger rows in other currencies do not count against it.</summary>
internal sealed class BudgetGrain(IOdockStore store, TimeProvider time) : PeriodLimitGrain(store, time), IBudgetGrain
{
    private string _currency = "";

    protected override string Kind => "budget";

    protected override async Task<LimitDefinition?> LoadDefinitionAsync(IStoreSession session, Guid id, CancellationToken cancellationToken)
    {
        var budget = await session.Budgets.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (budget is null)
        {
            return null;
        }

        _currency = budget.Currency;
        return new LimitDefinition(budget.Name, budget.Scope, budget.TargetId, budget.Amount, budget.Period, budget.Enabled);
    }

    protected override decimal Settled(LedgerTotal total) => total.CostIn(_currency);
}
