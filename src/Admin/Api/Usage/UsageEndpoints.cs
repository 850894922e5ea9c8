using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Errors;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;
using Odock.Storage.Reporting;

namespace Odock.Admin.Api.Usage;

internal static class UsageEndpoints
{
    public const string CsvContentType = "text/csv; charset=utf-8";

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/usage").WithTags("usage");
        group.MapGet("/", async (
            HttpContext http, UsageService service, string? from, string? to, string? organisation_id, string? team_id, string? user_id, string? api_key_id,
            string? model, string? provider_id, string? status, string? cursor, string? limit) =>
            AdminResults.Ok(await service.ListAsync(
                AdminCall.From(http), UsageQuery.Parse(from, to, organisation_id, team_id, user_id, api_key_id, model, provider_id, status), cursor, Limit(limit))
                .ConfigureAwait(false)))
            .Produces<Page<UsageRecordResponse>>().ProducesValidationProblem();
        group.MapGet("/aggregates", async (
            HttpContext http, UsageService service, string? from, string? to, string? organisation_id, string? team_id, string? user_id, string? api_key_id,
            string? model, string? provider_id, string? status, string? bucket, string[]? group_by) =>
        {
            var query = UsageQuery.Parse(from, to, organisation_id, team_id, user_id, api_key_id, model, provider_id, status);
            var granularity = QueryValues.Choice<UsageGranularity>(bucket, "bucket") ?? UsageGranularity.Day;
            return AdminResults.Ok(await service.AggregateAsync(AdminCall.From(http), query, granularity, Dimensions(group_by)).ConfigureAwait(false));
        }).Produces<UsageAggregatesResponse>().ProducesValidationProblem();
        group.MapGet("/export.csv", (
            HttpContext http, UsageService service, string? from, string? to, string? organisation_id, string? team_id, string? user_id, string? api_key_id,
            string? model, string? provider_id, string? status) =>
        {
            // Scoped (and refused) before the first byte, so a refusal is still a problem document, not a cut-off CSV.
            var filter = service.Scope(
                AdminPrincipal.From(http), UsageQuery.Parse(from, to, organisation_id, team_id, user_id, api_key_id, model, provider_id, status));
            return Results.Stream(
                body => service.ExportCsvAsync(filter, body, http.RequestAborted), CsvContentType,
                $"usage-{filter.From.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{filter.To.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.csv");
        }).Produces(200, contentType: "text/csv").ProducesValidationProblem();
    }

    private static int Limit(string? limit) =>
        limit is null ? PageRequest.DefaultLimit
        : int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var size) && size is >= 1 and <= PageRequest.MaxLimit ? size
        : throw ApiProblemException.Invalid("limit", $"must be a whole number from 1 to {PageRequest.MaxLimit}");

    /// <summary><c>group_by</c> may repeat or list dimensions separated by commas (<c>group_by=model,api_key</c>).</summary>
    private static UsageDimension[] Dimensions(string[]? groupBy) =>
        (groupBy ?? [])
            .SelectMany(value => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(name => QueryValues.Choice<UsageDimension>(name, "group_by")!.Value)
            .Distinct()
            .ToArray();
}
