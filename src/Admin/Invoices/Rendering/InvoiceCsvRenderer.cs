using System.Globalization;
using System.Text;
using Odock.Domain.Common;
using Odock.Domain.Invoices;

namespace Odock.Admin.Invoices.Rendering;

/// <summary>
/// An invoice as CSV (RFC 4180, comma separated, CRLF): one row per line, then one <c>total</c> row per currency. Amounts
/// are exact and unformatted so a spreadsheet or a script adds them up to the same totals. Columns added later go after
/// <c>amount</c>, so no column moves for a script that reads them by position.
/// </summary>
internal static class InvoiceCsvRenderer
{
    public const string Header =
        "kind,description,model_or_server,tool,currency,calls,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,images,audio_seconds,amount,"
        + "cache_write_one_hour_tokens,audio_output_seconds,characters,hosted_tool_calls";

    public static string Render(Invoice invoice)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var csv = new StringBuilder().Append(Header).Append("\r\n");
        foreach (var line in invoice.Lines)
        {
            Row(csv, WireName.Of(line.Kind), line.Description, line.Subject, line.Tool, line.Currency, Number(line.Calls), Number(line.InputTokens),
                Number(line.CachedInputTokens), Number(line.CacheWriteTokens), Number(line.OutputTokens), Number(line.ReasoningTokens), Number(line.Images),
                line.AudioSeconds.ToString(CultureInfo.InvariantCulture), line.Amount.ToString(CultureInfo.InvariantCulture),
                Number(line.CacheWriteOneHourTokens), line.AudioOutputSeconds.ToString(CultureInfo.InvariantCulture), Number(line.Characters),
                Number(line.HostedToolCalls));
        }

        foreach (var total in invoice.Totals)
        {
            Row(csv, "total", $"Total {total.Currency}", null, null, total.Currency, null, null, null, null, null, null, null, null,
                total.Total.ToString(CultureInfo.InvariantCulture), null, null, null, null);
        }

        return csv.ToString();
    }

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Row(StringBuilder csv, params string?[] fields)
    {
        for (var i = 0; i < fields.Length; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            csv.Append(Field(fields[i]));
        }

        csv.Append("\r\n");
    }

    // A leading =, +, - or @ would run as a formula in a spreadsheet; names come from users, so they are defused.
    private static string Field(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var safe = value[0] is '=' or '+' or '@' || (value[0] == '-' && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))
            ? "'" + value
            : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{safe.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : safe;
    }
}
