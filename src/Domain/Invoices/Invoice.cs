using Odock.Domain.Common;

namespace Odock.Domain.Invoices;

/// <summary>
/// The charges of an organisation, a team or a user for one period, built from the usage ledger. A draft may be
/// regenerated; issuing gives it the organisation's next number and freezes it; after that it can only be marked paid
/// or voided, and a voided invoice stays on record. The transitions below are the only way its status changes.
/// </summary>
public sealed record Invoice : IValidatable
{
    public required Guid Id { get; init; }

    public required Guid OrganisationId { get; init; }

    public InvoiceScope Scope { get; init; } = InvoiceScope.Organisation;

    /// <summary>Set when <see cref="Scope"/> is <see cref="InvoiceScope.Team"/>.</summary>
    public Guid? TeamId { get; init; }

    /// <summary>Set when <see cref="Scope"/> is <see cref="InvoiceScope.User"/>.</summary>
    public Guid? UserId { get; init; }

    /// <summary>The organisation's running invoice count at issue (1, 2, 3 ...); null while a draft, so issued numbers have no gaps.</summary>
    public int? Sequence { get; init; }

    /// <summary>The printed number (<c>INV-000042</c>); null while a draft.</summary>
    public string? Number { get; init; }

    public required DateTimeOffset PeriodStart { get; init; }

    /// <summary>Exclusive: usage at exactly this instant belongs to the next period.</summary>
    public required DateTimeOffset PeriodEnd { get; init; }

    public IReadOnlyList<InvoiceLine> Lines { get; init; } = [];

    public InvoiceStatus Status { get; init; } = InvoiceStatus.Draft;

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? IssuedAt { get; init; }

    public DateTimeOffset? PaidAt { get; init; }

    public DateTimeOffset? VoidedAt { get; init; }

    public string? VoidReason { get; init; }

    /// <summary>One total per currency, ordered by currency code.</summary>
    public IReadOnlyList<InvoiceTotal> Totals => Lines
        .GroupBy(line => line.Currency, StringComparer.Ordinal)
        .OrderBy(group => group.Key, StringComparer.Ordinal)
        .Select(group => new InvoiceTotal(
            group.Key,
            Models: group.Where(l => l.Kind == InvoiceLineKind.Model).Sum(l => l.Amount),
            McpTools: group.Where(l => l.Kind == InvoiceLineKind.McpTool).Sum(l => l.Amount),
            Other: group.Where(l => l.Kind == InvoiceLineKind.Other).Sum(l => l.Amount)))
        .ToArray();

    /// <summary>The printed number for an organisation's <paramref name="sequence"/>-th issued invoice.</summary>
    public static string NumberFor(int sequence) => $"INV-{sequence:D6}";

    /// <summary>The same draft with fresh lines from the ledger; refused once the invoice has left draft.</summary>
    public Invoice Regenerate(IReadOnlyList<InvoiceLine> lines, DateTimeOffset at)
    {
        if (Status != InvoiceStatus.Draft)
        {
            throw new InvoiceStateException($"Invoice {Label} is {WireName.Of(Status)} and can no longer change; void it and generate a new one instead.");
        }

        return this with { Lines = lines, CreatedAt = at };
    }

    public Invoice Issue(int sequence, DateTimeOffset at)
    {
        RequireStatus(InvoiceStatus.Draft, "issued");
        return this with { Status = InvoiceStatus.Issued, Sequence = sequence, Number = NumberFor(sequence), IssuedAt = at };
    }

    public Invoice MarkPaid(DateTimeOffset at)
    {
        RequireStatus(InvoiceStatus.Issued, "marked as paid");
        return this with { Status = InvoiceStatus.Paid, PaidAt = at };
    }

    /// <summary>Cancels a draft or an issued invoice; it keeps its number and lines. A paid invoice is settled and cannot be voided.</summary>
    public Invoice Void(string reason, DateTimeOffset at)
    {
        if (Status is not (InvoiceStatus.Draft or InvoiceStatus.Issued))
        {
            throw new InvoiceStateException($"Invoice {Label} is {WireName.Of(Status)}; only a draft or an issued invoice can be voided.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new DomainValidationException([new ValidationProblem("reason", "is required to void an invoice")]);
        }

        return this with { Status = InvoiceStatus.Void, VoidedAt = at, VoidReason = reason.Trim() };
    }

    public IReadOnlyList<ValidationProblem> Validate()
    {
        var validator = new Validator()
            .NotEmpty("id", Id)
            .NotEmpty("organisation_id", OrganisationId);
        if (PeriodEnd <= PeriodStart)
        {
            validator.Add("period_end", "must be after period_start");
        }

        ValidateSubject(validator);
        if (Status != InvoiceStatus.Draft && (Sequence is null || Number is null || IssuedAt is null))
        {
            validator.Add("number", "an invoice that was issued needs its sequence, number and issue time");
        }

        for (var i = 0; i < Lines.Count; i++)
        {
            Money.ValidateCurrency(validator, $"lines[{i}].currency", Lines[i].Currency);
        }

        return validator.MaxLength("void_reason", VoidReason, 500).Problems;
    }

    private string Label => Number ?? $"draft {Id}";

    private void ValidateSubject(Validator validator)
    {
        var (needsTeam, needsUser) = (Scope == InvoiceScope.Team, Scope == InvoiceScope.User);
        if (needsTeam != TeamId.HasValue)
        {
            validator.Add("team_id", needsTeam ? "is required for a team invoice" : "must be empty unless the invoice is for a team");
        }

        if (needsUser != UserId.HasValue)
        {
            validator.Add("user_id", needsUser ? "is required for a user invoice" : "must be empty unless the invoice is for a user");
        }
    }

    private void RequireStatus(InvoiceStatus required, string done)
    {
        if (Status != required)
        {
            throw new InvoiceStateException($"Invoice {Label} is {WireName.Of(Status)}; only {(required == InvoiceStatus.Issued ? "an" : "a")} {WireName.Of(required)} invoice can be {done}.");
        }
    }
}
