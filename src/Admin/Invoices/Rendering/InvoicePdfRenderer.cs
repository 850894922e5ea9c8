using Odock.Admin.Invoices.Pdf;
using Odock.Domain.Invoices;

namespace Odock.Admin.Invoices.Rendering;

/// <summary>
/// An invoice as a printable A4 PDF: a header, one row per line with its quantities beneath, and the totals per currency.
/// Rows flow onto further pages as needed; every page is numbered.
/// </summary>
internal static class InvoicePdfRenderer
{
    private const decimal Left = 50m;
    private const decimal Right = 545m;
    private const decimal CurrencyColumn = 400m;
    private const decimal Bottom = 70m;
    private const decimal RowHeight = 26m;
    private const int MaxTextLength = 95;

    // The quantities are printed in full, wrapped between items: what 8-point Helvetica fits between the indent and the margin.
    private const int MaxQuantitiesLength = 105;
    private const decimal QuantitiesLineHeight = 9m;

    public static byte[] Render(InvoiceDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var invoice = document.Invoice;
        var layout = new Layout();
        WriteHeader(layout, document);
        foreach (var line in invoice.Lines)
        {
            var quantities = Wrap(InvoiceText.Quantities(line));
            var height = RowHeight + (QuantitiesLineHeight * (quantities.Count - 1));
            layout.EnsureRoom(height);
            layout.Page.Text(Left, layout.Y, PdfFont.Regular, 10m, Clip(line.Description));
            layout.Page.Text(CurrencyColumn, layout.Y, PdfFont.Regular, 10m, line.Currency);
            layout.Page.TextRightAligned(Right, layout.Y, 10m, InvoiceText.Amount(line.Amount));
            for (var i = 0; i < quantities.Count; i++)
            {
                layout.Page.Text(Left + 10m, layout.Y - 11m - (QuantitiesLineHeight * i), PdfFont.Regular, 8m, quantities[i], gray: 0.35m);
            }

            layout.Advance(height);
        }

        if (invoice.Lines.Count == 0)
        {
            layout.Page.Text(Left, layout.Y, PdfFont.Regular, 10m, "No charged usage in this period.");
            layout.Advance(RowHeight);
        }

        WriteTotals(layout, invoice);
        return PdfDocumentWriter.Write(layout.Finish(), $"{InvoiceText.Title(invoice)} - {document.OrganisationName}");
    }

    private static void WriteHeader(Layout layout, InvoiceDocument document)
    {
        var invoice = document.Invoice;
        var page = layout.Page;
        page.Text(Left, layout.Y, PdfFont.Bold, 18m, InvoiceText.Title(invoice));
        page.TextRightAligned(Right, layout.Y, 12m, InvoiceText.Status(invoice));
        layout.Advance(22m);
        page.Text(Left, layout.Y, PdfFont.Regular, 11m, Clip(document.OrganisationName));
        layout.Advance(24m);
        Term(layout, "Billed to", document.BilledTo);
        Term(layout, "Period", InvoiceText.Period(invoice));
        if (invoice.IssuedAt is { } issued)
        {
            Term(layout, "Issued", InvoiceText.Instant(issued));
        }

        if (invoice.PaidAt is { } paid)
        {
            Term(layout, "Paid", InvoiceText.Instant(paid));
        }

        if (invoice.VoidedAt is { } voided)
        {
            Term(layout, "Voided", $"{InvoiceText.Instant(voided)}: {invoice.VoidReason}");
        }

        layout.Advance(10m);
        page.Text(Left, layout.Y, PdfFont.Bold, 10m, "Description");
        page.Text(CurrencyColumn, layout.Y, PdfFont.Bold, 10m, "Currency");
        page.Text(Right - 40m, layout.Y, PdfFont.Bold, 10m, "Amount");
        page.Rule(Left, layout.Y - 5m, Right, 1m);
        layout.Advance(22m);
    }

    private static void WriteTotals(Layout layout, Invoice invoice)
    {
        foreach (var total in invoice.Totals)
        {
            layout.EnsureRoom(60m);
            layout.Page.Rule(CurrencyColumn, layout.Y + 10m, Right);
            Subtotal(layout, "Subtotal models", total.Currency, total.Models);
            Subtotal(layout, "Subtotal MCP tools", total.Currency, total.McpTools);
            Subtotal(layout, "Other charges", total.Currency, total.Other);
            layout.Page.Text(Left, layout.Y, PdfFont.Bold, 11m, "Total");
            layout.Page.Text(CurrencyColumn, layout.Y, PdfFont.Bold, 11m, total.Currency);
            layout.Page.TextRightAligned(Right, layout.Y, 11m, InvoiceText.Amount(total.Total));
            layout.Advance(24m);
        }
    }

    private static void Subtotal(Layout layout, string label, string currency, decimal amount)
    {
        if (amount != 0)
        {
            layout.Page.Text(Left, layout.Y, PdfFont.Regular, 10m, label);
            layout.Page.Text(CurrencyColumn, layout.Y, PdfFont.Regular, 10m, currency);
            layout.Page.TextRightAligned(Right, layout.Y, 10m, InvoiceText.Amount(amount));
            layout.Advance(15m);
        }
    }

    private static void Term(Layout layout, string term, string value)
    {
        layout.Page.Text(Left, layout.Y, PdfFont.Bold, 10m, term);
        layout.Page.Text(Left + 80m, layout.Y, PdfFont.Regular, 10m, Clip(value));
        layout.Advance(15m);
    }

    private static List<string> Wrap(string quantities)
    {
        var lines = new List<string>();
        var current = string.Empty;
        foreach (var item in quantities.Split(", "))
        {
            if (current.Length == 0)
            {
                current = item;
            }
            else if (current.Length + 2 + item.Length <= MaxQuantitiesLength)
            {
                current = $"{current}, {item}";
            }
            else
            {
                lines.Add(current + ",");
                current = item;
            }
        }

        lines.Add(current);
        return lines;
    }

    private static string Clip(string text) => text.Length <= MaxTextLength ? text : string.Concat(text.AsSpan(0, MaxTextLength - 3), "...");

    /// <summary>Where the next row goes, starting a page when the current one is full.</summary>
    private sealed class Layout
    {
        private const decimal Top = 790m;

        private readonly List<PdfPage> _pages = [new PdfPage()];

        public PdfPage Page => _pages[^1];

        public decimal Y { get; private set; } = Top;

        public void Advance(decimal height) => Y -= height;

        public void EnsureRoom(decimal height)
        {
            if (Y - height < Bottom)
            {
                _pages.Add(new PdfPage());
                Y = Top;
            }
        }

        public IReadOnlyList<PdfPage> Finish()
        {
            for (var i = 0; i < _pages.Count; i++)
            {
                _pages[i].Text(Left, 40m, PdfFont.Regular, 8m, $"Page {i + 1} of {_pages.Count}", gray: 0.4m);
            }

            return _pages;
        }
    }
}
