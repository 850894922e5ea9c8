using Odock.Cluster;
using Odock.Grains.Budgets;

namespace Odock.Grains.Quotas;

/// <summary>A limit on served requests or tokens for an organisation, team, user or key over a period.</summary>
[GrainType("quota")]
public interface IQuotaGrain : IReservationGrain;
