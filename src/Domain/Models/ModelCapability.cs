namespace Odock.Domain.Models;

/// <summary>A feature a model supports.</summary>
public enum ModelCapability
{
    Vision,
    Reasoning,
    ToolUse,
}
