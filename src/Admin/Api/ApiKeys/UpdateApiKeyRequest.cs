using Odock.Domain.ApiKeys;
using Odock.Domain.Policies;
using Odock.Domain.Routing;

namespace Odock.Admin.Api.ApiKeys;

/// <summary>A partial update; fields left out keep their value. Status may be active or disabled (revoking has its own action).</summary>
internal sealed record UpdateApiKeyRequest(
    string? Name, ApiKeyStatus? Status, DateTimeOffset? ExpiresAt, ResourcePolicy? Limits, RoutingPolicy? Routing,
    IReadOnlyList<Guid>? ModelGrants, IReadOnlyList<Guid>? McpGrants);
