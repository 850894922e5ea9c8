using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Odock.Admin.Api.Auth;
using Odock.Admin.Api.Json;
using Odock.Admin.Api.Paging;
using Odock.Domain.Invoices;

namespace Odock.Admin.Api.Invoices;

internal static class InvoiceEndpoints
{
    public const string HtmlContentType = "text/html; charset=utf-8";
    public const string CsvContentType = "text/csv; charset=utf-8";
    public const string PdfContentType = "application/pdf";

    public static void Map(RouteGroupBuilder api)
    {
        var group = api.MapGroup("/invoices").WithTags("invoices");
        group.MapPost("/", async (HttpContext http, InvoiceApiService service) =>
        {
            var created = await service.GenerateAsync(AdminCall.From(http), await AdminRequests.ReadAsync<GenerateInvoiceRequest>(http).ConfigureAwait(false)).ConfigureAwait(false);
            return AdminResults.Created(http, $"/api/admin/v1/invoices/{created.Id}", created);
        }).Accepts<GenerateInvoiceRequest>("application/json").Produces<InvoiceResponse>(201).ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/", async (HttpContext http, InvoiceApiService service, string? organisation_id, string? status, string? cursor, string? limit, string? sort, string? order) =>
            AdminResults.Ok(await service.ListAsync(
                AdminCall.From(http), QueryValues.Id(organisation_id, "organisation_id"), QueryValues.Choice<InvoiceStatus>(status, "status"),
                PageRequest.Parse(cursor, limit, sort, order ?? "desc", "period_start", "created_at")).ConfigureAwait(false)))
            .Produces<Page<InvoiceResponse>>().ProducesValidationProblem();
        group.MapGet("/{id:guid}", async (HttpContext http, Guid id, InvoiceApiService service) =>
            AdminResults.Ok(await service.GetAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<InvoiceResponse>().ProducesProblem(404);
        group.MapPost("/{id:guid}/issue", async (HttpContext http, Guid id, InvoiceApiService service) =>
            AdminResults.Ok(await service.IssueAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<InvoiceResponse>().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/pay", async (HttpContext http, Guid id, InvoiceApiService service) =>
            AdminResults.Ok(await service.MarkPaidAsync(AdminCall.From(http), id).ConfigureAwait(false)))
            .Produces<InvoiceResponse>().ProducesProblem(404).ProducesProblem(409);
        group.MapPost("/{id:guid}/void", async (HttpContext http, Guid id, InvoiceApiService service) =>
            AdminResults.Ok(await service.VoidAsync(AdminCall.From(http), id, await AdminRequests.ReadAsync<VoidInvoiceRequest>(http).ConfigureAwait(false)).ConfigureAwait(false)))
            .Accepts<VoidInvoiceRequest>("application/json").Produces<InvoiceResponse>().ProducesValidationProblem().ProducesProblem(404).ProducesProblem(409);
        group.MapGet("/{id:guid}.html", async (HttpContext http, Guid id, InvoiceApiService service) =>
            Results.Text(await service.RenderHtmlAsync(AdminCall.From(http), id).ConfigureAwait(false), HtmlContentType))
            .Produces(200, contentType: "text/html").ProducesProblem(404);
        group.MapGet("/{id:guid}.csv", async (HttpContext http, Guid id, InvoiceApiService service) =>
            Results.Text(await service.RenderCsvAsync(AdminCall.From(http), id).ConfigureAwait(false), CsvContentType))
            .Produces(200, contentType: "text/csv").ProducesProblem(404);
        group.MapGet("/{id:guid}.pdf", async (HttpContext http, Guid id, InvoiceApiService service) =>
            Results.Bytes(await service.RenderPdfAsync(AdminCall.From(http), id).ConfigureAwait(false), PdfContentType))
            .Produces(200, contentType: PdfContentType).ProducesProblem(404);
    }
}
