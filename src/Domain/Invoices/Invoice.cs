using Odock.Domain.Common;

namespace Odock.Domain.Invoices;

/// <summary>An organisation's (or team's) charges for one billing period, built from the usage ledger.</summary>
public sealed record Invoice : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    public Guid? TeamId { get; init; }

    /// <summary>Unique across the installation (<c>ODK-2026-11-0001</c>).</summary>
    public required string Number { get; init; }

    public required DateTimeOffset PeriodStart { get; init; }

    public required DateTimeOffset PeriodEnd { get; init; }

    public required string Currency { get; init; }

    public IReadOnlyList<InvoiceLine> Lines { get; init; } = [];

    public InvoiceStatus Status { get; init; } = InvoiceStatus.Draft;

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public decimal Total => Lines.Sum(line => line.Amount);

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("organisation_id", OrganisationId)
            .Required("number", Number, 64);
        Money.ValidateCurrency(validator, "currency", Currency);
        if (PeriodEnd <= PeriodStart)
        {
            validator.Add("period_end", "must be after period_start");
        }

        return validator.Problems;
    }
}
