using Odock.Domain.Common;
using Odock.Domain.Policies;

namespace Odock.Domain.Mcp;

/// <summary>
/// A governed MCP server. Remote servers have a <see cref="Url"/>; stdio servers a <see cref="Command"/>. A server can
/// be owned by a team or a single API key (visible only to it). Blocked tools are hidden and refused even when the
/// allow list is empty (which allows every other tool).
/// </summary>
public sealed record McpServer : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    /// <summary>Unique within the organisation; clients address the server by it.</summary>
    public required string Name { get; init; }

    public required McpTransport Transport { get; init; }

    public string? Url { get; init; }

    public string? Command { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public Guid? TeamId { get; init; }

    public Guid? ApiKeyId { get; init; }

    public IReadOnlyList<string> AllowedTools { get; init; } = [];

    public IReadOnlyList<string> BlockedTools { get; init; } = [];

    public McpPricing Pricing { get; init; } = McpPricing.Free;

    /// <summary>Rate limits, concurrency and IP rules for calls to this server.</summary>
    public ResourcePolicy RateLimit { get; init; } = ResourcePolicy.None;

    public IReadOnlyDictionary<string, string> Metadata { get; init; } = new Dictionary<string, string>();

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public bool AllowsTool(string toolName) =>
        !BlockedTools.Contains(toolName, StringComparer.Ordinal)
        && (AllowedTools.Count == 0 || AllowedTools.Contains(toolName, StringComparer.Ordinal));

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("organisation_id", OrganisationId)
            .Name("name", Name);
        if (Transport == McpTransport.Stdio)
        {
            validator.Required("command", Command, 1024);
            if (Url is not null)
            {
                validator.Add("url", "is not used by the stdio transport; give command and args");
            }
        }
        else
        {
            if (Url is null)
            {
                validator.Add("url", $"is required for the {WireName.Of(Transport)} transport");
            }

            validator.AbsoluteHttpUrl("url", Url);
            if (Command is not null)
            {
                validator.Add("command", $"is only used by the stdio transport, not {WireName.Of(Transport)}");
            }
        }

        if (TeamId is not null && ApiKeyId is not null)
        {
            validator.Add("owner", "a server is owned by a team or by an API key, not both");
        }

        foreach (var tool in AllowedTools.Intersect(BlockedTools, StringComparer.Ordinal))
        {
            validator.Add("allowed_tools", $"'{tool}' is both allowed and blocked");
        }

        return validator
            .AddRange("pricing", Pricing.Validate())
            .AddRange("rate_limit", RateLimit.Validate())
            .Problems;
    }
}
