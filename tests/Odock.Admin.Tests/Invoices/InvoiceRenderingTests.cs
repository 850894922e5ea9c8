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

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task One_hour_cache_writes_audio_output_characters_and_hosted_tool_calls_show_in_every_rendering(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        await world.InsertLedgerAsync(PricedQuantitiesLedger.Rows(world));
        var draft = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);
        var invoice = await world.Service.IssueAsync(world.Acme.Id, draft.Id, Actor);

        var html = await world.Service.RenderHtmlAsync(world.Acme.Id, invoice.Id);
        var rows = Csv.Parse(await world.Service.RenderCsvAsync(world.Acme.Id, invoice.Id));
        var pdf = PdfFile.Parse(await world.Service.RenderPdfAsync(world.Acme.Id, invoice.Id));

        const string Sonnet = "2 requests, 14,000 input tokens, 4,500 cache write, 2,500 one-hour cache write, 500 output tokens, 3 hosted tool calls";
        const string Images = "2 requests, 0 input tokens, 0 output tokens, 5 images";
        const string Speech = "2 requests, 0 input tokens, 0 output tokens, 12.563 audio output seconds, 2,800 characters";
        Assert.Contains(Sonnet, html, StringComparison.Ordinal);
        Assert.Contains(Images, html, StringComparison.Ordinal);
        Assert.Contains(Speech, html, StringComparison.Ordinal);
        pdf.AssertWellFormed();
        Assert.True(pdf.Shows("2 requests, 14,000 input tokens, 4,500 cache write, 2,500 one-hour cache write, 500 output tokens,"));
        Assert.True(pdf.Shows("3 hosted tool calls"));
        Assert.True(pdf.Shows(Speech));
        var header = rows[0];
        string Column(string[] row, string name) => row[Array.IndexOf(header, name)];
        var lines = rows.Skip(1).Where(r => r[0] != "total").ToDictionary(r => Column(r, "model_or_server"));
        Assert.Equal(("4500", "2500"), (Column(lines["claude-sonnet"], "cache_write_tokens"), Column(lines["claude-sonnet"], "cache_write_one_hour_tokens")));
        Assert.Equal("5", Column(lines["image-1"], "images"));
        Assert.Equal((12.5625m, "2800"), (Parse(Column(lines["tts-1"], "audio_output_seconds")), Column(lines["tts-1"], "characters")));
        Assert.Equal("0", Column(lines["image-1"], "characters"));
        Assert.Equal(("3", "0"), (Column(lines["claude-sonnet"], "hosted_tool_calls"), Column(lines["tts-1"], "hosted_tool_calls")));
        Assert.DoesNotContain("hosted tool calls", InvoiceText.Quantities(invoice.Lines.Single(l => l.Subject == "tts-1")), StringComparison.Ordinal);
        var total = Assert.Single(rows, r => r[0] == "total");
        Assert.Equal(PricedQuantitiesLedger.Total, Parse(Column(total, "amount")));
        Assert.Equal(PricedQuantitiesLedger.Total, lines.Values.Sum(r => Parse(Column(r, "amount"))));
        Assert.All(rows, r => Assert.Equal(header.Length, r.Length));
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
    public void A_line_with_every_quantity_wraps_in_the_pdf_instead_of_losing_any()
    {
        var line = new InvoiceLine
        {
            Kind = InvoiceLineKind.Model, Subject = "omni", Currency = "USD", Calls = 12_345, InputTokens = 1_234_567, CachedInputTokens = 123_456,
            CacheWriteTokens = 12_345, CacheWriteOneHourTokens = 1_234, OutputTokens = 123_456, ReasoningTokens = 12_345, Images = 5, AudioSeconds = 7m,
            AudioOutputSeconds = 12.5m, Characters = 2_800, HostedToolCalls = 3, Amount = 1m,
        };

        var pdf = PdfFile.Parse(InvoicePdfRenderer.Render(new InvoiceDocument(Draft([line]), "Acme", "Acme")));

        pdf.AssertWellFormed();
        Assert.True(pdf.Shows("12,345 requests, 1,234,567 input tokens, 123,456 cached, 12,345 cache write, 1,234 one-hour cache write,"));
        Assert.True(pdf.Shows("123,456 output tokens, 12,345 reasoning, 5 images, 7 audio seconds, 12.5 audio output seconds,"));
        Assert.True(pdf.Shows("2,800 characters, 3 hosted tool calls"));
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
