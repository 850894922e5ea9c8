namespace Odock.Domain.Usage;

public enum UsageKind
{
    /// <summary>A model call (chat, embeddings, images, audio...).</summary>
    Model,
    /// <summary>An MCP tool call or other MCP request.</summary>
    Mcp,
}
