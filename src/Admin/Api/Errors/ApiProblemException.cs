using Odock.Domain.Common;

namespace Odock.Admin.Api.Errors;

/// <summary>A refusal the service layer decided on, turned into an RFC 9457 problem by <see cref="AdminErrorFilter"/>.</summary>
internal sealed class ApiProblemException : Exception
{
    public ApiProblemException(int status, string title, string detail, IReadOnlyList<ValidationProblem>? errors = null, TimeSpan? retryAfter = null)
        : base(detail)
    {
        Status = status;
        Title = title;
        Errors = errors ?? [];
        RetryAfter = retryAfter;
    }

    public ApiProblemException()
        : this(500, "Internal error", "The request failed.")
    {
    }

    public ApiProblemException(string message)
        : this(500, "Internal error", message)
    {
    }

    public ApiProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 500;
        Title = "Internal error";
        Errors = [];
    }

    public int Status { get; }

    public string Title { get; }

    public IReadOnlyList<ValidationProblem> Errors { get; }

    public TimeSpan? RetryAfter { get; }

    public static ApiProblemException Unauthenticated(string detail) => new(401, "Unauthenticated", detail);

    public static ApiProblemException Forbidden(string detail) => new(403, "Forbidden", detail);

    public static ApiProblemException NotFound(string entity, Guid id) => new(404, "Not found", $"No {entity} with id {id}.");

    public static ApiProblemException Conflict(string detail) => new(409, "Conflict", detail);

    public static ApiProblemException Invalid(string field, string message) =>
        new(400, "Validation failed", $"{field}: {message}", [new ValidationProblem(field, message)]);

    public static ApiProblemException Invalid(IReadOnlyList<ValidationProblem> problems) =>
        new(400, "Validation failed", string.Join("; ", problems), problems);
}
