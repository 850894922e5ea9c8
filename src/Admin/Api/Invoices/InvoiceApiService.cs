using System.Globalization;
using Odock.Admin.Api.Access;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Paging;
using Odock.Admin.Api.Users;
using Odock.Admin.Invoices;
using Odock.Domain.Invoices;
using Odock.Domain.Users;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Invoices;

/// <summary>
/// Invoices through the admin API: organisation admins (and super admins) generate, issue, mark paid and void; a
/// manager reads the invoices of their teams; a user reads their own. Another organisation's invoice is not found.
/// The lifecycle and its audit entries are <see cref="InvoiceService"/>'s; this class decides who may call it.
/// </summary>
internal sealed class InvoiceApiService
{
    private readonly IOdockStore _store;
    private readonly InvoiceService _invoices;

    public InvoiceApiService(IOdockStore store, InvoiceService invoices)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(invoices);
        _store = store;
        _invoices = invoices;
    }

    public async Task<InvoiceResponse> GenerateAsync(AdminCall call, GenerateInvoiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(request);
        var organisation = request.OrganisationId ?? call.Principal.OrganisationId ?? throw ApiProblemException.Invalid("organisation_id", "is required for a super admin");
        AccessRules.RequireOrganisationAdmin(call.Principal, organisation, "generate invoices");
        var subject = SubjectOf(organisation, request);
        var invoice = request switch
        {
            { Month: { } month, PeriodStart: null, PeriodEnd: null } => await GenerateMonthAsync(call, subject, month).ConfigureAwait(false),
            { Month: null, PeriodStart: { } start, PeriodEnd: { } end } =>
                await _invoices.GenerateAsync(subject, start, end, call.Principal.Actor, call.Cancellation).ConfigureAwait(false),
            { Month: not null } => throw ApiProblemException.Invalid("month", "give either month or period_start and period_end, not both"),
            { PeriodStart: null } => throw ApiProblemException.Invalid("period_start", "is required (or give month, for example \"2026-11\")"),
            _ => throw ApiProblemException.Invalid("period_end", "is required with period_start"),
        };
        return InvoiceResponse.Of(invoice);
    }

    public async Task<Page<InvoiceResponse>> ListAsync(AdminCall call, Guid? organisationId, InvoiceStatus? status, PageRequest page)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(page);
        var organisation = organisationId ?? call.Principal.OrganisationId ?? throw ApiProblemException.Invalid("organisation_id", "is required for a super admin");
        AccessRules.RequireMember(call.Principal, organisation);
        var invoices = (await _invoices.ListAsync(organisation, call.Cancellation).ConfigureAwait(false))
            .Where(i => (status is null || i.Status == status) && MayRead(call.Principal, i));
        return Pages.Of(invoices.Select(InvoiceResponse.Of), page, i => SortValue(i, page.Sort), i => i.Id);
    }

    public async Task<InvoiceResponse> GetAsync(AdminCall call, Guid id) =>
        InvoiceResponse.Of(await ReadableAsync(call, id).ConfigureAwait(false));

    public async Task<InvoiceResponse> IssueAsync(AdminCall call, Guid id)
    {
        var invoice = await ManageableAsync(call, id, "issue invoices").ConfigureAwait(false);
        return InvoiceResponse.Of(await _invoices.IssueAsync(invoice.OrganisationId, id, call.Principal.Actor, call.Cancellation).ConfigureAwait(false));
    }

    public async Task<InvoiceResponse> MarkPaidAsync(AdminCall call, Guid id)
    {
        var invoice = await ManageableAsync(call, id, "mark invoices as paid").ConfigureAwait(false);
        return InvoiceResponse.Of(await _invoices.MarkPaidAsync(invoice.OrganisationId, id, call.Principal.Actor, call.Cancellation).ConfigureAwait(false));
    }

    public async Task<InvoiceResponse> VoidAsync(AdminCall call, Guid id, VoidInvoiceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var invoice = await ManageableAsync(call, id, "void invoices").ConfigureAwait(false);
        return InvoiceResponse.Of(
            await _invoices.VoidAsync(invoice.OrganisationId, id, request.Reason ?? string.Empty, call.Principal.Actor, call.Cancellation).ConfigureAwait(false));
    }

    public async Task<string> RenderHtmlAsync(AdminCall call, Guid id)
    {
        var invoice = await ReadableAsync(call, id).ConfigureAwait(false);
        return await _invoices.RenderHtmlAsync(invoice.OrganisationId, id, call.Cancellation).ConfigureAwait(false);
    }

    public async Task<string> RenderCsvAsync(AdminCall call, Guid id)
    {
        var invoice = await ReadableAsync(call, id).ConfigureAwait(false);
        return await _invoices.RenderCsvAsync(invoice.OrganisationId, id, call.Cancellation).ConfigureAwait(false);
    }

    public async Task<byte[]> RenderPdfAsync(AdminCall call, Guid id)
    {
        var invoice = await ReadableAsync(call, id).ConfigureAwait(false);
        return await _invoices.RenderPdfAsync(invoice.OrganisationId, id, call.Cancellation).ConfigureAwait(false);
    }

    private async Task<Invoice> GenerateMonthAsync(AdminCall call, InvoiceSubject subject, string month)
    {
        if (!DateTime.TryParseExact(month, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first))
        {
            throw ApiProblemException.Invalid("month", $"'{month}' is not a month written as YYYY-MM (for example 2026-11)");
        }

        return await _invoices.GenerateMonthAsync(subject, first.Year, first.Month, call.Principal.Actor, call.Cancellation).ConfigureAwait(false);
    }

    private static InvoiceSubject SubjectOf(Guid organisation, GenerateInvoiceRequest request) => (request.TeamId, request.UserId) switch
    {
        (null, null) => InvoiceSubject.Organisation(organisation),
        ({ } team, null) => InvoiceSubject.Team(organisation, team),
        (null, { } user) => InvoiceSubject.User(organisation, user),
        _ => throw ApiProblemException.Invalid("user_id", "an invoice bills a team or a user, not both"),
    };

    private async Task<Invoice> ManageableAsync(AdminCall call, Guid id, string action)
    {
        ArgumentNullException.ThrowIfNull(call);
        var invoice = await FindAsync(call, id).ConfigureAwait(false);
        AccessRules.RequireOrganisationAdmin(call.Principal, invoice.OrganisationId, action);
        return invoice;
    }

    private async Task<Invoice> ReadableAsync(AdminCall call, Guid id)
    {
        ArgumentNullException.ThrowIfNull(call);
        var invoice = await FindAsync(call, id).ConfigureAwait(false);
        return MayRead(call.Principal, invoice)
            ? invoice
            : throw ApiProblemException.Forbidden("A manager may read only the invoices of their teams, and a user only their own.");
    }

    private async Task<Invoice> FindAsync(AdminCall call, Guid id)
    {
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        var invoice = await session.Invoices.GetAsync(id, call.Cancellation).ConfigureAwait(false) ?? throw ApiProblemException.NotFound("invoice", id);
        AccessRules.RequireSameOrganisation(call.Principal, invoice.OrganisationId, "invoice", id);
        return invoice;
    }

    private static bool MayRead(AdminPrincipal principal, Invoice invoice) => principal.Role switch
    {
        UserRole.SuperAdmin or UserRole.OrganisationAdmin => true,
        UserRole.Manager => invoice.TeamId is { } team && principal.TeamIds.Contains(team),
        _ => invoice.UserId == principal.UserId,
    };

    private static string SortValue(InvoiceResponse invoice, string sort) =>
        UserService.Instant(sort == "created_at" ? invoice.CreatedAt : invoice.PeriodStart);
}
