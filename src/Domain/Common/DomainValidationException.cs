namespace Odock.Domain.Common;

/// <summary>Thrown when an entity is not valid; carries every problem found, not only the first.</summary>
public sealed class DomainValidationException : Exception
{
    public DomainValidationException(IReadOnlyList<ValidationProblem> problems)
        : base(Describe(problems))
    {
        Problems = problems;
    }

    public DomainValidationException()
        : this([])
    {
    }

    public DomainValidationException(string message)
        : base(message)
    {
        Problems = [new ValidationProblem(string.Empty, message)];
    }

    public DomainValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Problems = [new ValidationProblem(string.Empty, message)];
    }

    public IReadOnlyList<ValidationProblem> Problems { get; } = [];

    private static string Describe(IReadOnlyList<ValidationProblem> problems) =>
        problems.Count == 0 ? "The value is not valid." : string.Join("; ", problems);
}
