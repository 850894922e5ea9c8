using Odock.Domain.ApiKeys;
using Odock.Domain.Policies;
using Odock.Domain.Routing;

namespace Odock.Admin.Api.ApiKeys;

/// <summary>
/// A virtual key as the API shows it: the prefix identifies it, the secret is never shown again after creation or
/// rotation. Grants are filled when one key is read, and left out of lists.
/// </summary>
internal sealed record ApiKeyResponse(
    Guid Id, Guid OrganisationId, string Name, string Prefix, ApiKeyScope Scope, Guid? TeamId, Guid? UserId, ApiKeyStatus Status,
    DateTimeOffset? ExpiresAt, ResourcePolicy Limits, RoutingPolicy? Routing, IReadOnlyList<Guid>? ModelGrants, IReadOnlyList<Guid>? McpGrants,
    DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt)
{
    public static ApiKeyResponse Of(ApiKey key, bool withGrants)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ApiKeyResponse(key.Id, key.OrganisationId, key.Name, key.Prefix, key.Scope, key.TeamId, key.UserId, key.Status, key.ExpiresAt,
            key.Limits, key.Routing, withGrants ? key.ModelGrants : null, withGrants ? key.McpGrants : null, key.CreatedAt, key.LastUsedAt);
    }
}
