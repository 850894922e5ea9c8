using Odock.Domain.Common;
using Odock.Domain.Invoices;
using Odock.Storage.Connections;
using Odock.Storage.Errors;
using Odock.Testing;

namespace Odock.Admin.Tests.Invoices;

public sealed class InvoiceServiceTests
{
    private const string Actor = "user:ops@acme.example";

    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_organisation_invoice_has_a_line_per_model_and_tool_and_totals_equal_to_the_ledger(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var other = await world.AddOrganisationAsync("globex");
        var rows = NovemberLedger.Rows(world, other.Id);
        await world.InsertLedgerAsync(rows);

        var invoice = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);

        var inPeriod = rows.Where(r => r.OrganisationId == world.Acme.Id && r.OccurredAt >= InvoiceWorld.November && r.OccurredAt < InvoiceWorld.December).ToArray();
        Assert.Equal(
            inPeriod.GroupBy(r => r.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(r => r.Cost))),
            invoice.Totals.Select(t => (t.Currency, t.Total)));
        Assert.Equal([("EUR", NovemberLedger.EurTotal), ("USD", NovemberLedger.UsdTotal)], invoice.Totals.Select(t => (t.Currency, t.Total)));
        Assert.Equal(
            [
                ("Model image-1", "EUR", 0.334m), ("Model support-fast", "USD", NovemberLedger.SupportFast), ("Model support-smart", "USD", 0.045m),
                ("MCP everything: add", "USD", 0.001m), ("MCP everything: echo", "USD", 0.001m), ("Other charges", "USD", 0.002m),
            ],
            invoice.Lines.Select(l => (l.Description, l.Currency, l.Amount)));
        var fast = invoice.Lines.Single(l => l.Subject == "support-fast");
        Assert.Equal((3L, 4_007L, 200L, 1_503L), (fast.Calls, fast.InputTokens, fast.CachedInputTokens, fast.OutputTokens));
        Assert.Equal(2, invoice.Lines.Single(l => l.Tool == "add").Calls);
        var usd = invoice.Totals.Single(t => t.Currency == "USD");
        Assert.Equal((NovemberLedger.SupportFast + NovemberLedger.SupportSmart, NovemberLedger.McpAdd + NovemberLedger.McpEcho, NovemberLedger.Other), (usd.Models, usd.McpTools, usd.Other));
        Assert.Equal((InvoiceStatus.Draft, (string?)null), (invoice.Status, invoice.Number));
        Assert.Equal(invoice, await world.Service.GetAsync(world.Acme.Id, invoice.Id), InvoiceComparer.Instance);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task One_hour_cache_writes_audio_output_characters_and_hosted_tool_calls_reach_the_lines_and_totals_equal_the_ledger(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var rows = PricedQuantitiesLedger.Rows(world);
        await world.InsertLedgerAsync(rows);

        var invoice = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);

        Assert.Equal([("USD", rows.Sum(r => r.Cost))], invoice.Totals.Select(t => (t.Currency, t.Total)));
        Assert.Equal(PricedQuantitiesLedger.Total, invoice.Totals[0].Total);
        Assert.Equal(
            [("Model claude-sonnet", PricedQuantitiesLedger.ClaudeSonnet), ("Model image-1", PricedQuantitiesLedger.Image), ("Model tts-1", PricedQuantitiesLedger.Speech)],
            invoice.Lines.Select(l => (l.Description, l.Amount)));
        var sonnet = invoice.Lines[0];
        Assert.Equal(
            (2L, 14_000L, 4_500L, 2_500L, 500L, 3L),
            (sonnet.Calls, sonnet.InputTokens, sonnet.CacheWriteTokens, sonnet.CacheWriteOneHourTokens, sonnet.OutputTokens, sonnet.HostedToolCalls));
        Assert.Equal((2L, 5L), (invoice.Lines[1].Calls, invoice.Lines[1].Images));
        var speech = invoice.Lines[2];
        Assert.Equal((2L, 12.5625m, 2_800L, 0L, 0L), (speech.Calls, speech.AudioOutputSeconds, speech.Characters, speech.CacheWriteOneHourTokens, speech.HostedToolCalls));
        Assert.Equal(invoice, await world.Service.GetAsync(world.Acme.Id, invoice.Id), InvoiceComparer.Instance);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Lines_stored_before_the_new_quantities_existed_still_read_with_zeros(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        await world.InsertLedgerAsync(NovemberLedger.Rows(world, (await world.AddOrganisationAsync("globex")).Id));
        var draft = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);
        const string BeforeMigration0008 = """
            [{"kind":"model","subject":"support-fast","currency":"USD","calls":3,"input_tokens":4007,"cached_input_tokens":200,"cache_write_tokens":0,
              "output_tokens":1503,"reasoning_tokens":0,"images":0,"audio_seconds":1.5,"amount":0.0043346678},
             {"kind":"mcp_tool","subject":"everything","tool":"add","currency":"USD","calls":2,"input_tokens":0,"cached_input_tokens":0,
              "cache_write_tokens":0,"output_tokens":0,"reasoning_tokens":0,"images":0,"audio_seconds":0,"amount":0.001}]
            """;
        await world.StoreLinesJsonAsync(draft.Id, BeforeMigration0008);

        var stored = await world.Service.GetAsync(world.Acme.Id, draft.Id);

        Assert.Equal(
            [
                new InvoiceLine
                {
                    Kind = InvoiceLineKind.Model, Subject = "support-fast", Currency = "USD", Calls = 3, InputTokens = 4_007, CachedInputTokens = 200,
                    OutputTokens = 1_503, AudioSeconds = 1.5m, Amount = 0.0043346678m,
                },
                new InvoiceLine { Kind = InvoiceLineKind.McpTool, Subject = "everything", Tool = "add", Currency = "USD", Calls = 2, Amount = 0.001m },
            ],
            stored!.Lines);
        Assert.Equal([("USD", 0.0053346678m)], stored.Totals.Select(t => (t.Currency, t.Total)));
        Assert.Contains("1.5 audio seconds", await world.Service.RenderHtmlAsync(world.Acme.Id, draft.Id), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Team_and_user_invoices_bill_only_their_own_rows(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        await world.InsertLedgerAsync(NovemberLedger.Rows(world, (await world.AddOrganisationAsync("globex")).Id));

        var support = await world.Service.GenerateMonthAsync(InvoiceSubject.Team(world.Acme.Id, world.Support.Id), 2026, 11, Actor);
        var eli = await world.Service.GenerateMonthAsync(InvoiceSubject.User(world.Acme.Id, world.Eli.Id), 2026, 11, Actor);

        Assert.Equal([("USD", NovemberLedger.SupportTeamUsd)], support.Totals.Select(t => (t.Currency, t.Total)));
        Assert.Equal([("EUR", 0.334m), ("USD", 0.046m)], eli.Totals.Select(t => (t.Currency, t.Total)));
        Assert.Equal((InvoiceScope.Team, world.Support.Id, (Guid?)null), (support.Scope, support.TeamId, support.UserId));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task An_issued_invoice_refuses_regeneration_edits_and_deletion_and_voiding_keeps_it(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        await world.InsertLedgerAsync(NovemberLedger.Rows(world, (await world.AddOrganisationAsync("globex")).Id));
        var subject = InvoiceSubject.Organisation(world.Acme.Id);
        var draft = await world.Service.GenerateMonthAsync(subject, 2026, 11, Actor);

        var issued = await world.Service.IssueAsync(world.Acme.Id, draft.Id, Actor);

        var regenerate = await Assert.ThrowsAsync<InvoiceStateException>(() => world.Service.GenerateMonthAsync(subject, 2026, 11, Actor));
        Assert.Equal("Invoice INV-000001 already bills this period and is issued; it can no longer change. Void it before generating a new one.", regenerate.Message);
        await using (var session = await world.Store.OpenAsync())
        {
            var edit = await Assert.ThrowsAsync<InvoiceStateException>(() => session.Invoices.UpdateAsync(draft with { Lines = [] }));
            Assert.Equal("Invoice INV-000001 is issued and can no longer change; void it and generate a new one instead.", edit.Message);
            var delete = await Assert.ThrowsAsync<InvoiceStateException>(() => session.Invoices.DeleteAsync(draft.Id));
            Assert.Equal("Invoice INV-000001 is issued and stays on record; void it instead of deleting it.", delete.Message);
            Assert.Throws<InvoiceStateException>(() => issued.Regenerate([], world.Clock.Now));
        }

        var reissue = await Assert.ThrowsAsync<InvoiceStateException>(() => world.Service.IssueAsync(world.Acme.Id, draft.Id, Actor));
        Assert.Equal("Invoice INV-000001 is issued; only a draft invoice can be issued.", reissue.Message);
        var stored = await world.Service.GetAsync(world.Acme.Id, draft.Id);
        Assert.Equal(issued, stored, InvoiceComparer.Instance);
        Assert.Equal(draft.Lines, stored!.Lines);

        var voided = await world.Service.VoidAsync(world.Acme.Id, draft.Id, "  sent to the wrong address ", Actor);
        var replacement = await world.Service.GenerateMonthAsync(subject, 2026, 11, Actor);

        var kept = (await world.Service.ListAsync(world.Acme.Id)).Single(i => i.Id == draft.Id);
        Assert.Equal((InvoiceStatus.Void, "INV-000001", "sent to the wrong address"), (kept.Status, kept.Number, kept.VoidReason));
        Assert.Equal(draft.Lines, kept.Lines);
        Assert.Equal(voided.VoidedAt, kept.VoidedAt);
        Assert.NotEqual(draft.Id, replacement.Id);
        Assert.Equal(draft.Lines, replacement.Lines);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Issued_numbers_run_in_sequence_per_organisation_and_drafts_take_none(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var globex = await world.AddOrganisationAsync("globex");
        var october = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 10, Actor);
        var november = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);
        var team = await world.Service.GenerateMonthAsync(InvoiceSubject.Team(world.Acme.Id, world.Support.Id), 2026, 11, Actor);
        var elsewhere = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(globex.Id), 2026, 11, Actor);

        string?[] numbers =
        [
            (await world.Service.IssueAsync(world.Acme.Id, november.Id, Actor)).Number,
            (await world.Service.IssueAsync(globex.Id, elsewhere.Id, Actor)).Number,
            (await world.Service.IssueAsync(world.Acme.Id, october.Id, Actor)).Number,
        ];

        Assert.Equal("INV-000001 INV-000001 INV-000002", string.Join(' ', numbers));
        Assert.Null((await world.Service.GetAsync(world.Acme.Id, team.Id))!.Number);
        Assert.Equal("INV-000003", (await world.Service.IssueAsync(world.Acme.Id, team.Id, Actor)).Number);
    }

    [Fact]
    public async Task Invoices_issued_at_the_same_moment_take_distinct_consecutive_numbers()
    {
        await using var world = await InvoiceWorld.CreateAsync(StorageEngine.Postgres);
        var drafts = new List<Invoice>();
        for (var month = 1; month <= 6; month++)
        {
            drafts.Add(await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, month, Actor));
        }

        var issued = await Task.WhenAll(drafts.Select(d => Task.Run(() => world.Service.IssueAsync(world.Acme.Id, d.Id, Actor))));

        Assert.Equal(Enumerable.Range(1, 6), issued.Select(i => i.Sequence!.Value).Order());
        Assert.Equal(6, issued.Select(i => i.Number).Distinct().Count());
    }

    [Fact]
    public async Task Generating_the_same_period_at_the_same_moment_leaves_one_draft()
    {
        await using var world = await InvoiceWorld.CreateAsync(StorageEngine.Postgres);
        var subject = InvoiceSubject.Team(world.Acme.Id, world.Support.Id);

        var drafts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => world.Service.GenerateMonthAsync(subject, 2026, 11, Actor))));

        var stored = Assert.Single(await world.Service.ListAsync(world.Acme.Id));
        Assert.All(drafts, d => Assert.Equal(stored.Id, d.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Regenerating_a_draft_picks_up_rows_recorded_since(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var subject = InvoiceSubject.Organisation(world.Acme.Id);
        var empty = await world.Service.GenerateMonthAsync(subject, 2026, 11, Actor);
        await world.InsertLedgerAsync([new LedgerRow { OccurredAt = InvoiceWorld.November.AddDays(2), OrganisationId = world.Acme.Id, ModelName = "late", Cost = 0.5m }]);

        var regenerated = await world.Service.GenerateMonthAsync(subject, 2026, 11, Actor);

        Assert.Empty(empty.Lines);
        Assert.Equal(empty.Id, regenerated.Id);
        Assert.Equal(0.5m, Assert.Single(regenerated.Totals).Total);
        Assert.Single(await world.Service.ListAsync(world.Acme.Id));
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Status_changes_out_of_order_are_refused_with_the_reason(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var draft = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);

        var payDraft = await Assert.ThrowsAsync<InvoiceStateException>(() => world.Service.MarkPaidAsync(world.Acme.Id, draft.Id, Actor));
        var noReason = await Assert.ThrowsAsync<DomainValidationException>(() => world.Service.VoidAsync(world.Acme.Id, draft.Id, " ", Actor));
        await world.Service.IssueAsync(world.Acme.Id, draft.Id, Actor);
        var paid = await world.Service.MarkPaidAsync(world.Acme.Id, draft.Id, Actor);
        var voidPaid = await Assert.ThrowsAsync<InvoiceStateException>(() => world.Service.VoidAsync(world.Acme.Id, draft.Id, "refund", Actor));

        Assert.Equal($"Invoice draft {draft.Id} is draft; only an issued invoice can be marked as paid.", payDraft.Message);
        Assert.Equal("reason: is required to void an invoice", noReason.Message);
        Assert.Equal((InvoiceStatus.Paid, world.Clock.Now), (paid.Status, paid.PaidAt));
        Assert.Equal("Invoice INV-000001 is paid; only a draft or an issued invoice can be voided.", voidPaid.Message);
    }

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Every_change_is_audited(StorageEngine engine)
    {
        await using var world = await InvoiceWorld.CreateAsync(engine);
        var draft = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);
        world.Clock.Now += TimeSpan.FromMinutes(1);
        await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);
        world.Clock.Now += TimeSpan.FromMinutes(1);
        await world.Service.IssueAsync(world.Acme.Id, draft.Id, Actor);
        world.Clock.Now += TimeSpan.FromMinutes(1);
        await world.Service.VoidAsync(world.Acme.Id, draft.Id, "duplicate", Actor);

        await using var session = await world.Store.OpenAsync();
        var audit = (await session.Audit.ListAsync(world.Acme.Id)).Where(a => a.TargetType == "invoice").Reverse().ToArray();

        Assert.Equal(["invoice.generated", "invoice.regenerated", "invoice.issued", "invoice.voided"], audit.Select(a => a.Action));
        Assert.All(audit, a => Assert.Equal((Actor, draft.Id.ToString()), (a.Actor, a.TargetId)));
        Assert.Contains("\"void_reason\":\"duplicate\"", audit[^1].DetailsJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_requests_and_other_organisations_invoices_are_refused_clearly()
    {
        await using var world = await InvoiceWorld.CreateAsync(StorageEngine.Sqlite);
        var globex = await world.AddOrganisationAsync("globex");
        var draft = await world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 11, Actor);

        var backwards = await Assert.ThrowsAsync<DomainValidationException>(() =>
            world.Service.GenerateAsync(InvoiceSubject.Organisation(world.Acme.Id), InvoiceWorld.December, InvoiceWorld.November, Actor));
        var foreignTeam = await Assert.ThrowsAsync<DomainValidationException>(() =>
            world.Service.GenerateMonthAsync(InvoiceSubject.Team(globex.Id, world.Support.Id), 2026, 11, Actor));
        var missingTarget = await Assert.ThrowsAsync<DomainValidationException>(() =>
            world.Service.GenerateMonthAsync(new InvoiceSubject(world.Acme.Id, InvoiceScope.User), 2026, 11, Actor));
        var month = await Assert.ThrowsAsync<DomainValidationException>(() =>
            world.Service.GenerateMonthAsync(InvoiceSubject.Organisation(world.Acme.Id), 2026, 13, Actor));

        Assert.Equal("period_end", Assert.Single(backwards.Problems).Field);
        Assert.Equal($"target_id: no team {world.Support.Id} in organisation {globex.Id}", foreignTeam.Message);
        Assert.Equal("subject.target_id: is required for a user invoice", missingTarget.Message);
        Assert.Equal("month: 2026-13 is not a month between 2000-01 and 9998-12", month.Message);
        Assert.Null(await world.Service.GetAsync(globex.Id, draft.Id));
        await Assert.ThrowsAsync<EntityNotFoundException>(() => world.Service.IssueAsync(globex.Id, draft.Id, Actor));
    }
}
