using Odock.Domain.Mcp;
using Odock.Domain.Policies;

namespace Odock.Admin.Api.Mcp;

/// <summary>Create (organisation, name, transport and its url or command required) or partial update.</summary>
internal sealed record McpServerRequest(
    Guid? OrganisationId, string? Name, McpTransport? Transport, string? Url, string? Command, IReadOnlyList<string>? Arguments, Guid? TeamId, Guid? ApiKeyId,
    IReadOnlyList<string>? AllowedTools, IReadOnlyList<string>? BlockedTools, McpPricing? Pricing, ResourcePolicy? RateLimit,
    IReadOnlyDictionary<string, string>? Metadata, bool? Enabled);
