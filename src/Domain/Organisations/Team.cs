using Odock.Domain.Common;

namespace Odock.Domain.Organisations;

/// <summary>A group of users inside one organisation; keys, budgets and quotas can be scoped to it.</summary>
public sealed record Team : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    /// <summary>Unique within the organisation.</summary>
    public required string Name { get; init; }

    public string? Description { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<ValidationProblem> Validate() => new Validator()
        .NotEmpty("id", Id)
        .NotEmpty("organisation_id", OrganisationId)
        .Name("name", Name)
        .MaxLength("description", Description, 1000)
        .Problems;
}
