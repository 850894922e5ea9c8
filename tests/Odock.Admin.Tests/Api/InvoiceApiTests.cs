using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Odock.Admin.Tests.Api;

/// <summary>Invoices through <c>/invoices</c>: generate, issue, pay and void over HTTP, the renderings, and who may do what.</summary>
public sealed class InvoiceApiTests
{
    [Fact]
    public async Task An_invoice_goes_from_draft_to_issued_to_paid_and_refuses_changes_once_issued()
    {
        await using var host = await AdminHost.StartAsync();
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);
        var admin = host.As(host.World.AcmeAdmin);
        var usd = ledger.Where(r => r.TeamId == host.World.Support.Id && r.Currency == "USD").Sum(r => r.Cost);

        var created = await host.As(host.World.AcmeAdmin).PostAsync("invoices", AdminHost.Body(new { team_id = host.World.Support.Id, month = "2026-11" }));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var draft = await AdminHost.JsonAsync(created);
        var id = draft["id"]!.GetValue<string>();
        Assert.Equal($"/api/admin/v1/invoices/{id}", created.Headers.Location!.OriginalString);
        Assert.Equal("draft", draft["status"]!.GetValue<string>());
        Assert.Equal("team", draft["scope"]!.GetValue<string>());
        Assert.Equal(usd, Total(draft, "USD"));

        var regenerated = await OkAsync(admin.PostAsync("invoices", AdminHost.Body(new { team_id = host.World.Support.Id, month = "2026-11" })));
        Assert.Equal(id, regenerated["id"]!.GetValue<string>());

        var issued = await OkAsync(admin.PostAsync($"invoices/{id}/issue", null));
        Assert.Equal("issued", issued["status"]!.GetValue<string>());
        Assert.Equal("INV-000001", issued["number"]!.GetValue<string>());

        await AssertConflictAsync(admin.PostAsync("invoices", AdminHost.Body(new { team_id = host.World.Support.Id, month = "2026-11" })), "INV-000001");
        await AssertConflictAsync(admin.PostAsync($"invoices/{id}/issue", null), "INV-000001");

        var paid = await OkAsync(admin.PostAsync($"invoices/{id}/pay", null));
        Assert.Equal("paid", paid["status"]!.GetValue<string>());
        Assert.NotNull(paid["paid_at"]);
        await AssertConflictAsync(admin.PostAsync($"invoices/{id}/void", AdminHost.Body(new { reason = "wrong month" })), "paid");
        await AssertConflictAsync(admin.PostAsync($"invoices/{id}/pay", null), "paid");

        var audit = await OkAsync(admin.GetAsync($"audit?target_type=invoice&target_id={id}"));
        Assert.Equal(
            ["invoice.generated", "invoice.issued", "invoice.paid", "invoice.regenerated"],
            audit["data"]!.AsArray().Select(e => e!["action"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        Assert.All(audit["data"]!.AsArray(), e => Assert.Equal(host.World.AcmeAdmin.Email, e!["actor"]!.GetValue<string>()["user:".Length..]));
    }

    [Fact]
    public async Task An_issued_invoice_can_be_voided_with_a_reason_and_the_period_billed_again()
    {
        await using var host = await AdminHost.StartAsync();
        await UsageLedger.SeedAsync(host.Store, host.World);
        var admin = host.As(host.World.AcmeAdmin);
        var id = await GenerateAsync(admin, new { period_start = "2026-11-20T00:00:00Z", period_end = "2026-11-21T00:00:00Z" });
        await OkAsync(admin.PostAsync($"invoices/{id}/issue", null));

        var missingReason = await admin.PostAsync($"invoices/{id}/void", AdminHost.Body(new { }));
        Assert.Equal(HttpStatusCode.BadRequest, missingReason.StatusCode);
        var voided = await OkAsync(admin.PostAsync($"invoices/{id}/void", AdminHost.Body(new { reason = "wrong rates" })));
        Assert.Equal("void", voided["status"]!.GetValue<string>());
        Assert.Equal("wrong rates", voided["void_reason"]!.GetValue<string>());

        var again = await GenerateAsync(admin, new { period_start = "2026-11-20T00:00:00Z", period_end = "2026-11-21T00:00:00Z" });
        Assert.NotEqual(id, again);
        var list = await OkAsync(admin.GetAsync("invoices?status=void"));
        Assert.Equal([id], list["data"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task The_html_csv_and_pdf_renderings_have_their_content_types_and_show_the_total()
    {
        await using var host = await AdminHost.StartAsync();
        var ledger = await UsageLedger.SeedAsync(host.Store, host.World);
        var admin = host.As(host.World.AcmeAdmin);
        var id = await GenerateAsync(admin, new { month = "2026-11" });
        await OkAsync(admin.PostAsync($"invoices/{id}/issue", null));
        var total = ledger.Where(r => r.OrganisationId == host.World.Acme.Id && r.Currency == "USD").Sum(r => r.Cost)
            .ToString("0.00##########################", CultureInfo.InvariantCulture);

        var html = await admin.GetAsync($"invoices/{id}.html");
        Assert.Equal("text/html", html.Content.Headers.ContentType!.MediaType);
        var page = await html.Content.ReadAsStringAsync();
        Assert.Contains("INV-000001", page, StringComparison.Ordinal);
        Assert.Contains(total, page, StringComparison.Ordinal);

        var csv = await admin.GetAsync($"invoices/{id}.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n").Select(row => row.Split(',')).ToArray();
        var amount = Array.IndexOf(rows[0], "amount");
        Assert.Contains(rows, row => row[0] == "total" && row[1] == "Total USD" && row[amount] == total);

        var pdf = await admin.GetAsync($"invoices/{id}.pdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var bytes = await pdf.Content.ReadAsByteArrayAsync();
        Assert.Equal("%PDF", Encoding.ASCII.GetString(bytes, 0, 4));
    }

    [Fact]
    public async Task Managers_read_their_teams_invoices_users_their_own_and_only_admins_manage_them()
    {
        await using var host = await AdminHost.StartAsync();
        await UsageLedger.SeedAsync(host.Store, host.World);
        var w = host.World;
        var admin = host.As(w.AcmeAdmin);
        var support = await GenerateAsync(admin, new { team_id = w.Support.Id, month = "2026-11" });
        var research = await GenerateAsync(admin, new { team_id = w.Research.Id, month = "2026-11" });
        var organisation = await GenerateAsync(admin, new { month = "2026-11" });
        var danas = await GenerateAsync(admin, new { user_id = w.Dana.Id, month = "2026-11" });
        var manager = host.As(w.Manager);
        var dana = host.As(w.Dana);

        Assert.Equal([support], await IdsAsync(manager));
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"invoices/{support}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manager.GetAsync($"invoices/{support}.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"invoices/{research}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.GetAsync($"invoices/{organisation}.html")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync($"invoices/{support}/issue", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await manager.PostAsync("invoices", AdminHost.Body(new { team_id = w.Support.Id, month = "2026-10" }))).StatusCode);

        Assert.Equal([danas], await IdsAsync(dana));
        Assert.Equal(HttpStatusCode.OK, (await dana.GetAsync($"invoices/{danas}.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.GetAsync($"invoices/{support}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await dana.PostAsync($"invoices/{danas}/pay", null)).StatusCode);

        Assert.Equal(4, (await IdsAsync(admin)).Length);
        Assert.Equal(4, (await IdsAsync(host.As(w.Super), $"?organisation_id={w.Acme.Id}")).Length);
    }

    [Fact]
    public async Task Another_organisations_invoices_are_not_found_and_cannot_be_generated()
    {
        await using var host = await AdminHost.StartAsync();
        await UsageLedger.SeedAsync(host.Store, host.World);
        var w = host.World;
        var id = await GenerateAsync(host.As(w.AcmeAdmin), new { month = "2026-11" });
        var intruder = host.As(w.GlobexAdmin);

        foreach (var path in new[] { $"invoices/{id}", $"invoices/{id}.html", $"invoices/{id}.csv", $"invoices/{id}.pdf" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await intruder.GetAsync(path)).StatusCode);
        }

        foreach (var action in new[] { "issue", "pay" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await intruder.PostAsync($"invoices/{id}/{action}", null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await intruder.PostAsync($"invoices/{id}/void", AdminHost.Body(new { reason = "x" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.PostAsync("invoices", AdminHost.Body(new { organisation_id = w.Acme.Id, month = "2026-11" }))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await intruder.GetAsync($"invoices?organisation_id={w.Acme.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await intruder.PostAsync("invoices", AdminHost.Body(new { team_id = w.Support.Id, month = "2026-11" }))).StatusCode);
        Assert.Empty(await IdsAsync(intruder));
    }

    [Theory]
    [InlineData("{\"month\":\"November\"}", "month")]
    [InlineData("{\"month\":\"2026-11\",\"period_start\":\"2026-11-01T00:00:00Z\"}", "month")]
    [InlineData("{\"period_start\":\"2026-11-01T00:00:00Z\"}", "period_end")]
    [InlineData("{}", "period_start")]
    [InlineData("{\"period_start\":\"2026-11-02T00:00:00Z\",\"period_end\":\"2026-11-01T00:00:00Z\"}", "period_end")]
    public async Task A_generate_request_without_a_valid_period_is_a_400_naming_the_field(string body, string field)
    {
        await using var host = await AdminHost.StartAsync();

        var response = await host.As(host.World.AcmeAdmin).PostAsync("invoices", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await AdminHost.JsonAsync(response))["errors"]![field]);
    }

    private static decimal Total(JsonObject invoice, string currency) =>
        invoice["totals"]!.AsArray().Single(t => t!["currency"]!.GetValue<string>() == currency)!["total"]!.GetValue<decimal>();

    private static async Task<string> GenerateAsync(HttpClient client, object request)
    {
        var response = await client.PostAsync("invoices", AdminHost.Body(request));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await AdminHost.JsonAsync(response))["id"]!.GetValue<string>();
    }

    private static async Task<string[]> IdsAsync(HttpClient client, string query = "") =>
        (await OkAsync(client.GetAsync("invoices" + query)))["data"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ToArray();

    private static async Task AssertConflictAsync(Task<HttpResponseMessage> call, string mentioned)
    {
        var response = await call;
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await AdminHost.JsonAsync(response);
        Assert.Equal("urn:odock:problem:conflict", problem["type"]!.GetValue<string>());
        Assert.Contains(mentioned, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private static async Task<JsonObject> OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await AdminHost.JsonAsync(response);
    }
}
