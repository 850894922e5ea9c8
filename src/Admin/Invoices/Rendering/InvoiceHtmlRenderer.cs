using System.Net;
using System.Text;
using Odock.Domain.Invoices;

namespace Odock.Admin.Invoices.Rendering;

/// <summary>
/// An invoice as one self-contained HTML page (inline CSS, no scripts, nothing fetched) that prints cleanly on A4:
/// the print rules drop the screen background and keep table rows whole across pages.
/// </summary>
internal static class InvoiceHtmlRenderer
{
    private const string Style = """
        :root { color-scheme: light; }
        body { font-family: "Helvetica Neue", Arial, sans-serif; color: #1d1d1f; background: #f4f4f6; margin: 0; }
        main { max-width: 900px; margin: 2rem auto; background: #fff; padding: 2.5rem; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
        header { display: flex; justify-content: space-between; align-items: flex-start; border-bottom: 2px solid #1d1d1f; padding-bottom: 1rem; }
        h1 { margin: 0 0 .25rem; font-size: 1.6rem; }
        .status { font-weight: bold; letter-spacing: .08em; padding: .2rem .6rem; border: 2px solid currentColor; }
        .status.void { color: #b00020; } .status.paid { color: #1b7f3b; } .status.draft { color: #8a6d00; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 1.25rem 0; }
        dt { color: #555; } dd { margin: 0; }
        table { width: 100%; border-collapse: collapse; margin-top: 1rem; font-size: .92rem; }
        th, td { text-align: left; padding: .45rem .5rem; border-bottom: 1px solid #ddd; vertical-align: top; }
        th { background: #f0f0f3; }
        td.amount, th.amount { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        .quantities { color: #555; font-size: .85rem; }
        tfoot td { font-weight: bold; border-bottom: none; }
        tfoot tr.subtotal td { font-weight: normal; color: #444; }
        .void-note { color: #b00020; font-weight: bold; }
        footer { margin-top: 2rem; color: #666; font-size: .8rem; }
        @page { size: A4; margin: 18mm 15mm; }
        @media print {
          body { background: #fff; }
          main { box-shadow: none; margin: 0; padding: 0; max-width: none; }
          tr { break-inside: avoid; }
          thead { display: table-header-group; }
        }
        """;

    public static string Render(InvoiceDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var invoice = document.Invoice;
        var html = new StringBuilder(4096);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
            .Append(Encode($"{InvoiceText.Title(invoice)} - {document.OrganisationName}"))
            .Append("</title>\n<style>\n").Append(Style).Append("\n</style>\n</head>\n<body>\n<main>\n");
        AppendHeader(html, document);
        AppendLines(html, invoice);
        html.Append("<footer>Amounts are exact sums of the recorded usage; each currency is totalled separately.</footer>\n</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendHeader(StringBuilder html, InvoiceDocument document)
    {
        var invoice = document.Invoice;
        var status = InvoiceText.Status(invoice);
        html.Append("<header>\n<div><h1>").Append(Encode(InvoiceText.Title(invoice))).Append("</h1><div>")
            .Append(Encode(document.OrganisationName)).Append("</div></div>\n<div class=\"status ")
            .Append(status.ToLowerInvariant()).Append("\">").Append(status).Append("</div>\n</header>\n<dl>\n");
        Term(html, "Billed to", document.BilledTo);
        Term(html, "Period", InvoiceText.Period(invoice));
        if (invoice.IssuedAt is { } issued)
        {
            Term(html, "Issued", InvoiceText.Instant(issued));
        }

        if (invoice.PaidAt is { } paid)
        {
            Term(html, "Paid", InvoiceText.Instant(paid));
        }

        if (invoice.VoidedAt is { } voided)
        {
            Term(html, "Voided", $"{InvoiceText.Instant(voided)}: {invoice.VoidReason}");
        }

        html.Append("</dl>\n");
        if (invoice.Status == InvoiceStatus.Void)
        {
            html.Append("<p class=\"void-note\">This invoice is void and must not be paid.</p>\n");
        }
    }

    private static void AppendLines(StringBuilder html, Invoice invoice)
    {
        html.Append("<table>\n<thead><tr><th>Description</th><th>Currency</th><th class=\"amount\">Amount</th></tr></thead>\n<tbody>\n");
        if (invoice.Lines.Count == 0)
        {
            html.Append("<tr><td colspan=\"3\">No charged usage in this period.</td></tr>\n");
        }

        foreach (var line in invoice.Lines)
        {
            html.Append("<tr><td>").Append(Encode(line.Description)).Append("<div class=\"quantities\">").Append(Encode(InvoiceText.Quantities(line)))
                .Append("</div></td><td>").Append(Encode(line.Currency)).Append("</td><td class=\"amount\">")
                .Append(InvoiceText.Amount(line.Amount)).Append("</td></tr>\n");
        }

        html.Append("</tbody>\n<tfoot>\n");
        foreach (var total in invoice.Totals)
        {
            Subtotal(html, "Models", total.Currency, total.Models);
            Subtotal(html, "MCP tools", total.Currency, total.McpTools);
            Subtotal(html, "Other charges", total.Currency, total.Other);
            html.Append("<tr class=\"total\"><td>Total</td><td>").Append(Encode(total.Currency)).Append("</td><td class=\"amount\">")
                .Append(InvoiceText.Amount(total.Total)).Append("</td></tr>\n");
        }

        html.Append("</tfoot>\n</table>\n");
    }

    private static void Subtotal(StringBuilder html, string label, string currency, decimal amount)
    {
        if (amount != 0)
        {
            html.Append("<tr class=\"subtotal\"><td>Subtotal ").Append(label).Append("</td><td>").Append(Encode(currency))
                .Append("</td><td class=\"amount\">").Append(InvoiceText.Amount(amount)).Append("</td></tr>\n");
        }
    }

    private static void Term(StringBuilder html, string term, string value) =>
        html.Append("<dt>").Append(term).Append("</dt><dd>").Append(Encode(value)).Append("</dd>\n");

    private static string Encode(string value) => WebUtility.HtmlEncode(value);
}
