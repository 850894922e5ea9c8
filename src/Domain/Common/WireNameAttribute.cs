namespace Odock.Domain.Common;

/// <summary>Overrides the snake_case name of an enum member where the word split would read wrongly (<c>openai</c>, not <c>open_ai</c>).</summary>
[AttributeUsage(AttributeTargets.Field)]
public sealed class WireNameAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
