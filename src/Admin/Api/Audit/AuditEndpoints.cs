using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;

namespace Odock.Admin.Api.Audit;

internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapGet("/audit", async (
            HttpContext http, AuditService service, string? organisation_id, string? target_type, string? target_id, string? action, string? actor,
            string? from, string? to, string? cursor, string? limit) =>
        {
            var filter = new AuditFilter(
                QueryValues.Id(organisation_id, "organisation_id"), QueryValues.Text(target_type, "target_type"), QueryValues.Text(target_id, "target_id"),
                QueryValues.Text(action, "action"), QueryValues.Text(actor, "actor"), QueryValues.Instant(from, "from"), QueryValues.Instant(to, "to"));
            return AdminResults.Ok(await service.ListAsync(AdminCall.From(http), filter, PageRequest.Parse(cursor, limit, null, "desc", "occurred_at")).ConfigureAwait(false));
        }).Produces<Page<AuditEntryResponse>>().ProducesValidationProblem().ProducesProblem(403).WithTags("audit");
    }
}
