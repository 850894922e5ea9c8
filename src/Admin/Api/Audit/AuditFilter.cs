namespace Odock.Admin.Api.Audit;

/// <summary>The filters of the audit list, parsed from the query string.</summary>
internal sealed record AuditFilter(Guid? OrganisationId, string? TargetType, string? TargetId, string? Action, string? Actor, DateTimeOffset? From, DateTimeOffset? To);
