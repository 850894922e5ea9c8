using Odock.Cluster;

namespace Odock.Grains.Budgets;

/// <summary>A money limit for an organisation, team, user or key over a period, in the budget's currency.</summary>
[GrainType("budget")]
public interface IBudgetGrain : IReservationGrain;
