namespace Odock.Domain.Mcp;

/// <summary>How Odock reaches an MCP server.</summary>
public enum McpTransport
{
    /// <summary>MCP over one HTTP endpoint (POST, optionally streaming with SSE), the current specification.</summary>
    StreamableHttp,
    /// <summary>The older HTTP+SSE transport (a GET event stream plus a POST endpoint).</summary>
    Sse,
    /// <summary>A local process spoken to over stdin/stdout.</summary>
    Stdio,
}
