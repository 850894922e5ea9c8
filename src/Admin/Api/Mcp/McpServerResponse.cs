using Odock.Domain.Mcp;
using Odock.Domain.Policies;

namespace Odock.Admin.Api.Mcp;

internal sealed record McpServerResponse(
    Guid Id, Guid OrganisationId, string Name, McpTransport Transport, string? Url, string? Command, IReadOnlyList<string> Arguments, Guid? TeamId, Guid? ApiKeyId,
    IReadOnlyList<string> AllowedTools, IReadOnlyList<string> BlockedTools, McpPricing Pricing, ResourcePolicy RateLimit, IReadOnlyDictionary<string, string> Metadata,
    bool Enabled, DateTimeOffset CreatedAt)
{
    public static McpServerResponse Of(McpServer server)
    {
        ArgumentNullException.ThrowIfNull(server);
        return new McpServerResponse(server.Id, server.OrganisationId, server.Name, server.Transport, server.Url, server.Command, server.Arguments, server.TeamId,
            server.ApiKeyId, server.AllowedTools, server.BlockedTools, server.Pricing, server.RateLimit, server.Metadata, server.Enabled, server.CreatedAt);
    }
}
