namespace Odock.Domain.Common;

/// <summary>An entity that can list everything wrong with it, by field.</summary>
public interface IValidatable
{
    IReadOnlyList<ValidationProblem> Validate();
}
