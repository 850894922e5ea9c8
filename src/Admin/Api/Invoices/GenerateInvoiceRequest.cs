namespace Odock.Admin.Api.Invoices;

/// <summary>
/// What to bill: the organisation (default: the caller's), or one of its teams (<see cref="TeamId"/>) or users
/// (<see cref="UserId"/>), for a calendar month (<c>"2026-11"</c>, UTC) or a period [start, end).
/// </summary>
internal sealed record GenerateInvoiceRequest(
    Guid? OrganisationId, Guid? TeamId, Guid? UserId, string? Month, DateTimeOffset? PeriodStart, DateTimeOffset? PeriodEnd);
