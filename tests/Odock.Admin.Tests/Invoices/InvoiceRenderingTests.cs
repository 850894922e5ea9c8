using System.Globalization;
using Odock.Admin.Invoices;
using Odock.Admin.Invoices.Rendering;
using Odock.Domain.Invoices;
using Odock.Storage.Connections;
using Odock.Testing;

namespace Odock.Admin.Tests.Invoices;

public sealed class InvoiceRenderingTests
{
    private const string Actor = "user:ops@acme.example";

    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_html_page_is_self_contained_printable_and_shows_every_line_and_total(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var invoice = await IssuedNovemberAsync(world);

        var html = await world.Service.RenderHtmlAsync(world.Acme.Id, invoice.Id);

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<h1>Invoice INV-000001</h1>", html, StringComparison.Ordinal);
        Assert.Contains("Acme &lt;Corporation&gt;", html, StringComparison.Ordinal);
        Assert.Contains("2026-11-01 to 2026-11-30", html, StringComparison.Ordinal);
        foreach (var line in invoice.Lines)
        {
            Assert.Contains($"<td>{line.Description}<div class=\"quantities\">", html, StringComparison.Ordinal);
            Assert.Contains($"<td class=\"amount\">{InvoiceText.Amount(line.Amount)}</td>", html, StringComparison.Ordinal);
        }

        Assert.Contains("<td>Total</td><td>USD</td><td class=\"amount\">0.0533346678</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Total</td><td>EUR</td><td class=\"amount\">0.334</td>", html, StringComparison.Ordinal);
        Assert.Contains("3 requests, 4,007 input tokens, 200 cached, 1,503 output tokens", html, StringComparison.Ordinal);
        Assert.Contains("@media print", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=", html, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_csv_parses_back_to_the_same_lines_and_totals(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var invoice = await IssuedNovemberAsync(world);

        var rows = Csv.Parse(await world.Service.RenderCsvAsync(world.Acme.Id, invoice.Id));

        Assert.Equal(InvoiceCsvRenderer.Header.Split(','), rows[0]);
        var amount = Array.IndexOf(rows[0], "amount");
        var currency = Array.IndexOf(rows[0], "currency");
        var lines = rows.Skip(1).Where(r => r[0] != "total").ToArray();
        var totals = rows.Skip(1).Where(r => r[0] == "total").Select(r => (r[currency], Parse(r[amount]))).ToArray();
        Assert.Equal(invoice.Lines.Select(l => (l.Currency, l.Amount)), lines.Select(r => (r[currency], Parse(r[amount]))));
        Assert.Equal(invoice.Totals.Select(t => (t.Currency, t.Total)), totals);
        Assert.Equal(
            totals,
            lines.GroupBy(r => r[currency]).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(r => Parse(r[amount])))));
        Assert.Equal([("EUR", NovemberLedger.EurTotal), ("USD", NovemberLedger.UsdTotal)], totals);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task The_pdf_is_well_formed_and_shows_the_totals(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var invoice = await IssuedNovemberAsync(world);

        var pdf = PdfFile.Parse(await world.Service.RenderPdfAsync(world.Acme.Id, invoice.Id));

        Assert.Equal(1, pdf.AssertWellFormed());
        Assert.True(pdf.Shows("Invoice INV-000001"));
        Assert.True(pdf.Shows("Acme <Corporation>"));
        Assert.True(pdf.Shows("MCP everything: add"));
        Assert.True(pdf.Shows("0.0533346678"));
        Assert.True(pdf.Shows("0.334"));
        Assert.True(pdf.Shows("Page 1 of 1"));
    }

    [Fact]
    public void A_long_invoice_flows_onto_numbered_pages()
    {
        var lines = Enumerable.Range(1, 70)
            .Select(i => new InvoiceLine { Kind = InvoiceLineKind.Model, Subject = $"model-{i:D2}", Currency = "USD", Calls = i, Amount = 0.01m })
            .ToArray();
        var invoice = Draft(lines);

        var pdf = PdfFile.Parse(InvoicePdfRenderer.Render(new InvoiceDocument(invoice, "Acme", "Acme")));

        var pages = pdf.AssertWellFormed();
        Assert.True(pages >= 3);
        Assert.True(pdf.Shows($"Page {pages} of {pages}"));
        Assert.True(pdf.Shows("Model model-70"));
        Assert.True(pdf.Shows("0.70"));
    }

    [Fact]
    public void Text_outside_ascii_and_pdf_delimiters_is_escaped()
    {
        var invoice = Draft([new InvoiceLine { Kind = InvoiceLineKind.Model, Subject = "caf\u00e9 (beta) \\ \u20ac \u4e2d", Currency = "EUR", Amount = 1m }]);

        var pdf = PdfFile.Parse(InvoicePdfRenderer.Render(new InvoiceDocument(invoice, "Acme", "Acme")));

        pdf.AssertWellFormed();
        Assert.True(pdf.Shows(@"Model caf\351 \(beta\) \\ \200 ?"));
    }

    [Fact]
    public void Csv_fields_are_quoted_and_formula_like_names_are_defused()
    {
        var invoice = Draft([new InvoiceLine { Kind = InvoiceLineKind.McpTool, Subject = "=HYPERLINK(\"x\")", Tool = "a,b", Currency = "USD", Calls = 1, Amount = 0.5m }]);

        var row = Csv.Parse(InvoiceCsvRenderer.Render(invoice))[1];

        Assert.Equal(["mcp_tool", "MCP =HYPERLINK(\"x\"): a,b", "'=HYPERLINK(\"x\")", "a,b", "USD"], row.Take(5));
    }

    private static Invoice Draft(IReadOnlyList<InvoiceLine> lines) => new()
    {
        Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), PeriodStart = InvoiceWorld.November, PeriodEnd = InvoiceWorld.December, Lines = lines,
        CreatedAt = InvoiceWorld.December,
    };

    private static decimal Parse(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    private static async Task<Invoice> IssuedNovemberAsync(InvoiceWorld world)
    {
        await world.InsertLedgerAsync(NovemberLedger.Rows(world, (await world.AddOrganisationAsync("globex")).Id));
        var draft = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);
        return await world.Service.IssueAsync(world.Acme.Id, draft.Id, Actor);
    }
}
