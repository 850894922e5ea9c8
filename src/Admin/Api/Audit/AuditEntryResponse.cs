using System.Text.Json.Nodes;
using Odock.Domain.Audit;

namespace Odock.Admin.Api.Audit;

/// <summary>One audit entry: who did what to which record, from where, and the record before and after (secrets masked).</summary>
internal sealed record AuditEntryResponse(
    Guid Id, DateTimeOffset OccurredAt, string Actor, Guid? OrganisationId, string Action, string TargetType, string? TargetId,
    string? ClientAddress, JsonNode? Before, JsonNode? After)
{
    public static AuditEntryResponse Of(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var details = entry.DetailsJson is null ? null : JsonNode.Parse(entry.DetailsJson) as JsonObject;
        return new AuditEntryResponse(entry.Id, entry.OccurredAt, entry.Actor, entry.OrganisationId, entry.Action, entry.TargetType, entry.TargetId,
            details?["client_address"]?.GetValue<string>(), details?["before"]?.DeepClone(), details?["after"]?.DeepClone());
    }
}
