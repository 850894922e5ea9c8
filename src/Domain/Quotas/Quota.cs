using Odock.Domain.Budgets;
using Odock.Domain.Common;
using Odock.Domain.Periods;

namespace Odock.Domain.Quotas;

/// <summary>A limit on requests or tokens per period, reserved before a call and settled after, like a budget.</summary>
public sealed record Quota : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    public required string Name { get; init; }

    public required LimitScope Scope { get; init; }

    public required Guid TargetId { get; init; }

    public required QuotaUnit Unit { get; init; }

    public required long Limit { get; init; }

    public required Period Period { get; init; }

    public bool Enabled { get; init; } = true;

    public required DateTimeOffset CreatedAt { get; init; }

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("organisation_id", OrganisationId)
            .Name("name", Name)
            .NotEmpty("target", TargetId);
        if (Limit < 0)
        {
            validator.Add("limit", "must not be negative");
        }

        if (Scope == LimitScope.Organisation && TargetId != OrganisationId)
        {
            validator.Add("target", "an organisation quota targets its own organisation");
        }

        return validator.Problems;
    }
}
