namespace Odock.Bench.Governance;

/// <summary>What <see cref="GovernedKeys"/> seeded: the keys, and the organisation's budget when keys share one.</summary>
internal sealed record GovernedOrganisation(GovernedKey[] Keys, Guid? OrganisationBudgetId);
