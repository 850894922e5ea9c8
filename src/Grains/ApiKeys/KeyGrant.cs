using Odock.Domain.Quotas;

namespace Odock.Grains.ApiKeys;

/// <summary>
/// What an admitted key may do and whom it is charged to: its owner, its model and MCP grants, and every budget and
/// quota that applies (the key's own, its user's, its team's and its organisation's). <see cref="Version"/> changes
/// whenever the key or its limits are reloaded, so gateways may cache derived data per version.
/// </summary>
public sealed record KeyGrant(
    Guid KeyId,
    string KeyName,
    Guid OrganisationId,
    Guid? TeamId,
    Guid? UserId,
    Guid[] ModelGrants,
    Guid[] McpGrants,
    long? MaxTokensPerRequest,
    Guid[] BudgetIds,
    QuotaLink[] Quotas,
    long Version);

/// <summary>A quota that applies to a key, with what it counts, so the caller knows what to reserve.</summary>
public sealed record QuotaLink(Guid Id, QuotaUnit Unit);
