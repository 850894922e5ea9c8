using Odock.Domain.Invoices;

namespace Odock.Domain.Tests.Invoices;

public sealed class InvoiceLinesTests
{
    private static readonly Guid Server = Guid.NewGuid();

    [Fact]
    public void Groups_become_model_tool_and_other_lines_in_that_order()
    {
        var lines = InvoiceLines.From(
        [
            new InvoiceUsageGroup { McpServerId = Server, McpServerName = "everything", ToolName = "echo", Currency = "USD", Calls = 1, Amount = 0.001m },
            new InvoiceUsageGroup { Currency = "USD", Calls = 1, Amount = 0.002m },
            new InvoiceUsageGroup { ModelName = "b-model", Currency = "USD", Calls = 2, InputTokens = 10, Amount = 0.1m },
            new InvoiceUsageGroup { ModelName = "a-model", Currency = "EUR", Calls = 1, Amount = 0.2m },
        ]);

        Assert.Equal(
            [(InvoiceLineKind.Model, "Model a-model"), (InvoiceLineKind.Model, "Model b-model"), (InvoiceLineKind.McpTool, "MCP everything: echo"), (InvoiceLineKind.Other, "Other charges")],
            lines.Select(l => (l.Kind, l.Description)));
    }

    [Fact]
    public void A_tool_call_whose_rows_carry_a_model_name_is_still_one_tool_line()
    {
        var lines = InvoiceLines.From(
        [
            new InvoiceUsageGroup { McpServerId = Server, McpServerName = "everything", ToolName = "add", ModelName = "x", Currency = "USD", Calls = 1, Amount = 0.5m },
            new InvoiceUsageGroup { McpServerId = Server, McpServerName = "everything", ToolName = "add", Currency = "USD", Calls = 2, Amount = 0.25m },
        ]);

        var line = Assert.Single(lines);
        Assert.Equal((InvoiceLineKind.McpTool, 3L, 0.75m), (line.Kind, line.Calls, line.Amount));
    }

    [Fact]
    public void Hosted_tool_calls_are_carried_and_added_per_line()
    {
        var lines = InvoiceLines.From(
        [
            new InvoiceUsageGroup { ModelName = "gpt-4.1", Currency = "USD", Calls = 2, HostedToolCalls = 5, Amount = 0.05m },
            new InvoiceUsageGroup { ModelName = "gpt-4.1", Currency = "EUR", Calls = 1, HostedToolCalls = 1, Amount = 0.01m },
            new InvoiceUsageGroup { ToolName = "web_search", Currency = "USD", Calls = 1, HostedToolCalls = 2, Amount = 0.02m },
            new InvoiceUsageGroup { ToolName = "file_search", Currency = "USD", Calls = 1, HostedToolCalls = 1, Amount = 0.0025m },
        ]);

        Assert.Equal(
            [("Model gpt-4.1", "EUR", 1L), ("Model gpt-4.1", "USD", 5L), ("Other charges", "USD", 3L)],
            lines.Select(l => (l.Description, l.Currency, l.HostedToolCalls)));
    }

    [Fact]
    public void One_hour_cache_writes_audio_output_and_characters_are_carried_and_added_per_line()
    {
        var lines = InvoiceLines.From(
        [
            new InvoiceUsageGroup { ModelName = "tts-1", Currency = "USD", Calls = 1, AudioOutputSeconds = 2.5m, Characters = 2_500, Amount = 0.0375m },
            new InvoiceUsageGroup { ModelName = "claude", Currency = "USD", Calls = 1, CacheWriteTokens = 3_000, CacheWriteOneHourTokens = 1_000, Amount = 0.0345m },
            new InvoiceUsageGroup
            {
                McpServerId = Server, McpServerName = "voice", ToolName = "say", ModelName = "tts-1", Currency = "USD", Calls = 1, AudioOutputSeconds = 0.25m,
                Characters = 40, CacheWriteOneHourTokens = 7, Amount = 0.001m,
            },
            new InvoiceUsageGroup { McpServerId = Server, McpServerName = "voice", ToolName = "say", Currency = "USD", Calls = 1, AudioOutputSeconds = 1m, Characters = 60, Amount = 0.002m },
        ]);

        Assert.Equal(
            [("Model claude", 1_000L, 0m, 0L), ("Model tts-1", 0L, 2.5m, 2_500L), ("MCP voice: say", 7L, 1.25m, 100L)],
            lines.Select(l => (l.Description, l.CacheWriteOneHourTokens, l.AudioOutputSeconds, l.Characters)));
    }

    [Fact]
    public void Unattributed_rows_that_cost_nothing_print_no_line_and_deleted_servers_keep_their_id()
    {
        var lines = InvoiceLines.From(
        [
            new InvoiceUsageGroup { Currency = "USD", Calls = 4, Amount = 0m },
            new InvoiceUsageGroup { McpServerId = Server, Currency = "USD", Calls = 1, Amount = 0m },
        ]);

        var line = Assert.Single(lines);
        Assert.Equal($"MCP server {Server}: (unnamed tool)", line.Description);
    }

    [Fact]
    public void Totals_are_kept_per_currency_and_by_kind()
    {
        var invoice = new Invoice
        {
            Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), PeriodStart = DateTimeOffset.UnixEpoch, PeriodEnd = DateTimeOffset.UnixEpoch.AddDays(1),
            CreatedAt = DateTimeOffset.UnixEpoch,
            Lines = InvoiceLines.From(
            [
                new InvoiceUsageGroup { ModelName = "m", Currency = "USD", Amount = 1.5m },
                new InvoiceUsageGroup { McpServerId = Server, McpServerName = "s", ToolName = "t", Currency = "USD", Amount = 0.25m },
                new InvoiceUsageGroup { ModelName = "m", Currency = "EUR", Amount = 2m },
            ]),
        };

        Assert.Equal([new InvoiceTotal("EUR", 2m, 0m, 0m), new InvoiceTotal("USD", 1.5m, 0.25m, 0m)], invoice.Totals);
        Assert.Equal(1.75m, invoice.Totals[1].Total);
    }

    [Fact]
    public void An_invoice_for_a_team_needs_the_team_and_nothing_else()
    {
        var invoice = new Invoice
        {
            Id = Guid.NewGuid(), OrganisationId = Guid.NewGuid(), Scope = InvoiceScope.Team, UserId = Guid.NewGuid(),
            PeriodStart = DateTimeOffset.UnixEpoch, PeriodEnd = DateTimeOffset.UnixEpoch, CreatedAt = DateTimeOffset.UnixEpoch,
        };

        Assert.Equal(["period_end", "team_id", "user_id"], invoice.Validate().Select(p => p.Field));
    }
}
