using System.Text.Json;
using Odock.Admin.Invoices.Rendering;
using Odock.Domain.Audit;
using Odock.Domain.Common;
using Odock.Domain.Invoices;
using Odock.Storage.Errors;
using Odock.Storage.Store;

namespace Odock.Admin.Invoices;

/// <summary>
/// Generates invoices from the usage ledger and moves them through draft, issued, paid and void, each change audited.
/// Every method is scoped to one organisation: an invoice of another organisation is "not found", never shown.
/// Errors: <see cref="DomainValidationException"/> for bad input (400), <see cref="EntityNotFoundException"/> (404),
/// <see cref="InvoiceStateException"/> for a change the invoice's status refuses (409).
/// </summary>
internal sealed class InvoiceService
{
    private const int IssueAttempts = 3;

    private readonly IOdockStore _store;
    private readonly TimeProvider _clock;

    public InvoiceService(IOdockStore store, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _clock = clock;
    }

    /// <summary>
    /// A draft for <paramref name="subject"/>'s usage in [<paramref name="periodStart"/>, <paramref name="periodEnd"/>).
    /// An existing draft for the same subject and period is regenerated in place; an issued or paid one refuses.
    /// </summary>
    public async Task<Invoice> GenerateAsync(InvoiceSubject subject, DateTimeOffset periodStart, DateTimeOffset periodEnd, string actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        ValidateRequest(subject, periodStart, periodEnd);
        try
        {
            return await GenerateOnceAsync(subject, periodStart, periodEnd, actor, cancellationToken).ConfigureAwait(false);
        }
        catch (DuplicateEntityException)
        {
            // Someone created this period's draft at the same moment; regenerating that draft is what the caller asked for.
            return await GenerateOnceAsync(subject, periodStart, periodEnd, actor, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A draft for one calendar month in UTC.</summary>
    public Task<Invoice> GenerateMonthAsync(InvoiceSubject subject, int year, int month, string actor, CancellationToken cancellationToken = default)
    {
        if (year is < 2000 or > 9998 || month is < 1 or > 12)
        {
            throw new DomainValidationException([new ValidationProblem("month", $"{year:D4}-{month:D2} is not a month between 2000-01 and 9998-12")]);
        }

        var start = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
        return GenerateAsync(subject, start, start.AddMonths(1), actor, cancellationToken);
    }

    public async Task<Invoice?> GetAsync(Guid organisationId, Guid invoiceId, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await FindAsync(session, organisationId, invoiceId, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<Invoice>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default)
    {
        await using var session = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        return await session.Invoices.ListAsync(organisationId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gives the draft the organisation's next number and freezes it.</summary>
    public async Task<Invoice> IssueAsync(Guid organisationId, Guid invoiceId, string actor, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ChangeAsync(organisationId, invoiceId, InvoiceStatus.Draft, "invoice.issued", actor, async (session, invoice) =>
                    invoice.Issue(await session.Invoices.NextSequenceAsync(organisationId, cancellationToken).ConfigureAwait(false), _clock.GetUtcNow()),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (DuplicateEntityException) when (attempt < IssueAttempts)
            {
                // Another invoice of the organisation was issued at the same moment and took the number; take the next one.
            }
        }
    }

    public Task<Invoice> MarkPaidAsync(Guid organisationId, Guid invoiceId, string actor, CancellationToken cancellationToken = default) =>
        ChangeAsync(organisationId, invoiceId, InvoiceStatus.Issued, "invoice.paid", actor,
            (_, invoice) => Task.FromResult(invoice.MarkPaid(_clock.GetUtcNow())), cancellationToken);

    public async Task<Invoice> VoidAsync(Guid organisationId, Guid invoiceId, string reason, string actor, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(organisationId, invoiceId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(invoiceId);
        return await ChangeAsync(organisationId, invoiceId, current.Status, "invoice.voided", actor,
            (_, invoice) => Task.FromResult(invoice.Void(reason, _clock.GetUtcNow())), cancellationToken).ConfigureAwait(false);
    }

    public async Task<string> RenderHtmlAsync(Guid organisationId, Guid invoiceId, CancellationToken cancellationToken = default) =>
        InvoiceHtmlRenderer.Render(await LoadDocumentAsync(organisationId, invoiceId, cancellationToken).ConfigureAwait(false));

    public async Task<string> RenderCsvAsync(Guid organisationId, Guid invoiceId, CancellationToken cancellationToken = default) =>
        InvoiceCsvRenderer.Render((await LoadDocumentAsync(organisationId, invoiceId, cancellationToken).ConfigureAwait(false)).Invoice);

    public async Task<byte[]> RenderPdfAsync(Guid organisationId, Guid invoiceId, CancellationToken cancellationToken = default) =>
        InvoicePdfRenderer.Render(await LoadDocumentAsync(organisationId, invoiceId, cancellationToken).ConfigureAwait(false));

    private async Task<Invoice> GenerateOnceAsync(InvoiceSubject subject, DateTimeOffset periodStart, DateTimeOffset periodEnd, string actor, CancellationToken cancellationToken)
    {
        await using var session = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await EnsureSubjectExistsAsync(session, subject, cancellationToken).ConfigureAwait(false);
        var existing = await session.Invoices.ListForPeriodAsync(subject, periodStart, periodEnd, cancellationToken).ConfigureAwait(false);
        if (existing.FirstOrDefault(i => i.Status != InvoiceStatus.Draft) is { } final)
        {
            throw new InvoiceStateException(
                $"Invoice {final.Number} already bills this period and is {WireName.Of(final.Status)}; it can no longer change. Void it before generating a new one.");
        }

        var lines = InvoiceLines.From(await session.Invoices.SummariseUsageAsync(subject, periodStart, periodEnd, cancellationToken).ConfigureAwait(false));
        var now = _clock.GetUtcNow();
        Invoice invoice;
        if (existing.Count > 0)
        {
            invoice = existing[0].Regenerate(lines, now);
            await session.Invoices.UpdateAsync(invoice, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            invoice = new Invoice
            {
                Id = Guid.NewGuid(), OrganisationId = subject.OrganisationId, Scope = subject.Scope, TeamId = subject.TeamId, UserId = subject.UserId,
                PeriodStart = periodStart, PeriodEnd = periodEnd, Lines = lines, CreatedAt = now,
            };
            await session.Invoices.InsertAsync(invoice, cancellationToken).ConfigureAwait(false);
        }

        await AuditAsync(session, invoice, existing.Count > 0 ? "invoice.regenerated" : "invoice.generated", actor, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return invoice;
    }

    private async Task<Invoice> ChangeAsync(
        Guid organisationId, Guid invoiceId, InvoiceStatus expected, string action, string actor, Func<IStoreSession, Invoice, Task<Invoice>> change,
        CancellationToken cancellationToken)
    {
        await using var session = await _store.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var invoice = await FindAsync(session, organisationId, invoiceId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(invoiceId);
        var changed = await change(session, invoice).ConfigureAwait(false);
        await session.Invoices.TransitionAsync(changed, expected, cancellationToken).ConfigureAwait(false);
        await AuditAsync(session, changed, action, actor, cancellationToken).ConfigureAwait(false);
        await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        return changed;
    }

    private async Task<InvoiceDocument> LoadDocumentAsync(Guid organisationId, Guid invoiceId, CancellationToken cancellationToken)
    {
        await using var session = await _store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var invoice = await FindAsync(session, organisationId, invoiceId, cancellationToken).ConfigureAwait(false) ?? throw NotFound(invoiceId);
        var organisation = await session.Organisations.GetAsync(organisationId, cancellationToken).ConfigureAwait(false);
        var organisationName = organisation?.DisplayName ?? organisation?.Name ?? organisationId.ToString();
        var billedTo = invoice.Scope switch
        {
            InvoiceScope.Team when invoice.TeamId is { } teamId =>
                $"Team {(await session.Teams.GetAsync(teamId, cancellationToken).ConfigureAwait(false))?.Name ?? teamId.ToString()}",
            InvoiceScope.User when invoice.UserId is { } userId =>
                $"User {(await session.Users.GetAsync(userId, cancellationToken).ConfigureAwait(false))?.Email ?? userId.ToString()}",
            _ => organisationName,
        };
        return new InvoiceDocument(invoice, organisationName, billedTo);
    }

    private static async Task<Invoice?> FindAsync(IStoreSession session, Guid organisationId, Guid invoiceId, CancellationToken cancellationToken) =>
        await session.Invoices.GetAsync(invoiceId, cancellationToken).ConfigureAwait(false) is { } invoice && invoice.OrganisationId == organisationId
            ? invoice
            : null;

    private static async Task EnsureSubjectExistsAsync(IStoreSession session, InvoiceSubject subject, CancellationToken cancellationToken)
    {
        if (await session.Organisations.GetAsync(subject.OrganisationId, cancellationToken).ConfigureAwait(false) is null)
        {
            throw new EntityNotFoundException("organisation", subject.OrganisationId);
        }

        var belongs = subject.Scope switch
        {
            InvoiceScope.Team => (await session.Teams.GetAsync(subject.TargetId!.Value, cancellationToken).ConfigureAwait(false))?.OrganisationId == subject.OrganisationId,
            InvoiceScope.User => (await session.Users.GetAsync(subject.TargetId!.Value, cancellationToken).ConfigureAwait(false))?.OrganisationId == subject.OrganisationId,
            _ => true,
        };
        if (!belongs)
        {
            throw new DomainValidationException([new ValidationProblem("target_id", $"no {WireName.Of(subject.Scope)} {subject.TargetId} in organisation {subject.OrganisationId}")]);
        }
    }

    private static void ValidateRequest(InvoiceSubject subject, DateTimeOffset periodStart, DateTimeOffset periodEnd)
    {
        var validator = new Validator().AddRange("subject", subject.Validate());
        if (periodEnd <= periodStart)
        {
            validator.Add("period_end", "must be after period_start");
        }

        validator.ThrowIfInvalid();
    }

    private async Task AuditAsync(IStoreSession session, Invoice invoice, string action, string actor, CancellationToken cancellationToken) =>
        await session.Audit.AppendAsync(new AuditEntry
        {
            Id = Guid.NewGuid(), OccurredAt = _clock.GetUtcNow(), Actor = actor, OrganisationId = invoice.OrganisationId, Action = action, TargetType = "invoice",
            TargetId = invoice.Id.ToString(), DetailsJson = JsonSerializer.Serialize(new InvoiceAuditDetails(invoice.Number, WireName.Of(invoice.Status), invoice.VoidReason),
                InvoiceJsonContext.Default.InvoiceAuditDetails),
        }, cancellationToken).ConfigureAwait(false);

    private static EntityNotFoundException NotFound(Guid invoiceId) => new("invoice", invoiceId);
}
