namespace Odock.Domain.Common;

/// <summary>One thing wrong with an input, named by the field that carries it (snake_case, as users write it).</summary>
public sealed record ValidationProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
