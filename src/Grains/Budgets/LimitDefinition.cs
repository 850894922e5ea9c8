using Odock.Domain.Budgets;
using Odock.Domain.Periods;

namespace Odock.Grains.Budgets;

/// <summary>The part of a budget or quota a reservation grain needs: whose traffic, how much, per which period.</summary>
internal sealed record LimitDefinition(string Name, LimitScope Scope, Guid TargetId, decimal Limit, Period Period, bool Enabled);
