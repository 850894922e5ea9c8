using Odock.Domain.Usage;

namespace Odock.Domain.Invoices;

/// <summary>
/// How ledger sums become invoice lines: a row for an MCP server bills its tool, any other row bills its model, and a
/// charged row naming neither lands on an "other" line so the invoice always adds up to the ledger. Rows that cost
/// nothing and name nothing (a refused request for an unknown model) print no line.
/// </summary>
public static class InvoiceLines
{
    private const string UnnamedTool = "(unnamed tool)";
    private const string OtherSubject = "Other charges";

    public static IReadOnlyList<InvoiceLine> From(IEnumerable<InvoiceUsageGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        return groups
            .Select(ToLine)
            .Where(line => line.Kind != InvoiceLineKind.Other || line.Amount != 0)
            .GroupBy(line => (line.Kind, line.Subject, line.Tool, line.Currency))
            .Select(Merge)
            .OrderBy(line => line.Kind)
            .ThenBy(line => line.Subject, StringComparer.Ordinal)
            .ThenBy(line => line.Tool, StringComparer.Ordinal)
            .ThenBy(line => line.Currency, StringComparer.Ordinal)
            .ToArray();
    }

    private static InvoiceLine ToLine(InvoiceUsageGroup group)
    {
        var (kind, subject, tool) = group switch
        {
            { McpServerId: { } serverId } => (InvoiceLineKind.McpTool, group.McpServerName ?? $"server {serverId}", group.ToolName ?? UnnamedTool),
            { ModelName: { } model } => (InvoiceLineKind.Model, model, (string?)null),
            _ => (InvoiceLineKind.Other, OtherSubject, null),
        };
        return new InvoiceLine { Kind = kind, Subject = subject, Tool = tool, Currency = group.Currency, Quantities = group.Quantities };
    }

    // Two groups can name the same line, e.g. one MCP server whose ledger rows carry two model names; they add up.
    private static InvoiceLine Merge(IEnumerable<InvoiceLine> lines) =>
        lines.First() with { Quantities = UsageQuantities.Sum(lines.Select(line => line.Quantities)) };
}
