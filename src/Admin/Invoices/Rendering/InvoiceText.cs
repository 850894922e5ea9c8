using System.Globalization;
using Odock.Domain.Common;
using Odock.Domain.Invoices;

namespace Odock.Admin.Invoices.Rendering;

/// <summary>The words and numbers every rendering prints the same way: amounts exact (never rounded away), dates in UTC.</summary>
internal static class InvoiceText
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>At least two decimals and as many more as the amount has: ledger amounts are exact to the ten-millionth.</summary>
    public static string Amount(decimal amount) => amount.ToString("0.00##########################", Invariant);

    public static string Count(long value) => value.ToString("#,0", Invariant);

    public static string Date(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd", Invariant);

    public static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", Invariant);

    /// <summary>The period as a reader expects it: the end is exclusive in data, so the last day printed is the day before it.</summary>
    public static string Period(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var lastInstant = invoice.PeriodEnd.AddTicks(-1);
        return $"{Date(invoice.PeriodStart)} to {Date(lastInstant)}";
    }

    public static string Title(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return invoice.Number is { } number ? $"Invoice {number}" : "Draft invoice";
    }

    public static string Status(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        return WireName.Of(invoice.Status).ToUpperInvariant();
    }

    public static string Quantities(InvoiceLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        if (line.Kind != InvoiceLineKind.Model)
        {
            return $"{Count(line.Calls)} calls";
        }

        var parts = new List<string>
        {
            $"{Count(line.Calls)} requests",
            $"{Count(line.InputTokens)} input tokens",
        };
        AddIfAny(parts, line.CachedInputTokens, "cached");
        AddIfAny(parts, line.CacheWriteTokens, "cache write");
        AddIfAny(parts, line.CacheWriteOneHourTokens, "one-hour cache write");
        parts.Add($"{Count(line.OutputTokens)} output tokens");
        AddIfAny(parts, line.ReasoningTokens, "reasoning");
        AddIfAny(parts, line.Images, "images");
        AddIfAny(parts, line.AudioSeconds, "audio seconds");
        AddIfAny(parts, line.AudioOutputSeconds, "audio output seconds");
        AddIfAny(parts, line.Characters, "characters");
        AddIfAny(parts, line.HostedToolCalls, "hosted tool calls");
        return string.Join(", ", parts);
    }

    private static void AddIfAny(List<string> parts, long value, string what)
    {
        if (value > 0)
        {
            parts.Add($"{Count(value)} {what}");
        }
    }

    private static void AddIfAny(List<string> parts, decimal seconds, string what)
    {
        if (seconds > 0)
        {
            parts.Add($"{seconds.ToString("#,0.###", Invariant)} {what}");
        }
    }
}
