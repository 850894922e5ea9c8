using Odock.Domain.ApiKeys;
using Odock.Domain.Policies;
using Odock.Domain.Routing;

namespace Odock.Admin.Api.ApiKeys;

/// <summary>A new key. The scope says whom usage is attributed to; user keys default to the caller.</summary>
internal sealed record CreateApiKeyRequest(
    Guid? OrganisationId, string? Name, ApiKeyScope? Scope, Guid? TeamId, Guid? UserId, DateTimeOffset? ExpiresAt, ResourcePolicy? Limits,
    RoutingPolicy? Routing, IReadOnlyList<Guid>? ModelGrants, IReadOnlyList<Guid>? McpGrants);
