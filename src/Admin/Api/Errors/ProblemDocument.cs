namespace Odock.Admin.Api.Errors;

/// <summary>
/// An RFC 9457 problem: <c>type</c> names the kind of problem (a stable URN, <c>urn:odock:problem:conflict</c>), <c>errors</c> maps each
/// invalid field (snake_case, dotted for nested values) to what is wrong with it.
/// </summary>
internal sealed record ProblemDocument(string Type, string Title, int Status, string Detail, string? Instance, IReadOnlyDictionary<string, string[]>? Errors);
