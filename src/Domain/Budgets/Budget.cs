using Odock.Domain.Common;
using Odock.Domain.Periods;

namespace Odock.Domain.Budgets;

/// <summary>
/// A spending limit: calls whose estimated cost does not fit in what is left of the current period are refused before
/// they reach a provider. <see cref="TargetId"/> is the organisation, team, user or key named by <see cref="Scope"/>.
/// </summary>
public sealed record Budget : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    /// <summary>Unique within the organisation.</summary>
    public required string Name { get; init; }

    public required LimitScope Scope { get; init; }

    public required Guid TargetId { get; init; }

    public required decimal Amount { get; init; }

    public required string Currency { get; init; }

    public required Period Period { get; init; }

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public Money Limit => new(Amount, Currency);

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("organisation_id", OrganisationId)
            .Name("name", Name)
            .NotEmpty("target", TargetId)
            .NotNegative("amount", Amount);
        Money.ValidateCurrency(validator, "currency", Currency);
        if (Scope == LimitScope.Organisation && TargetId != OrganisationId)
        {
            validator.Add("target", "an organisation budget targets its own organisation");
        }

        return validator.Problems;
    }
}
