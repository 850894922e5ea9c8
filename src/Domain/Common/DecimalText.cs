using System.Globalization;
using System.Text;

namespace Odock.Domain.Common;

/// <summary>
/// Exact decimal amounts as UTF-8 text without the trailing zeros of their scale (<c>0.018</c>, not <c>0.018000</c>):
/// the spelling of the custom formats <c>"0.####…"</c> and <c>"0.0###…"</c> (28 places), written by the general format
/// and trimmed, which costs a fraction of interpreting a custom format string for every amount.
/// </summary>
public static class DecimalText
{
    /// <summary>
    /// Writes <paramref name="amount"/> in the invariant culture without trailing fractional zeros. With
    /// <paramref name="keepOneFractionDigit"/> a whole amount keeps one (<c>12.0</c>), as <c>"0.0###…"</c> spells it;
    /// without, it has none (<c>12</c>).
    /// </summary>
    public static bool TryFormat(decimal amount, Span<byte> destination, out int written, bool keepOneFractionDigit = false)
    {
        if (!amount.TryFormat(destination, out written, default, CultureInfo.InvariantCulture))
        {
            return false;
        }

        var point = destination[..written].IndexOf((byte)'.');
        if (point < 0)
        {
            if (!keepOneFractionDigit)
            {
                return true;
            }

            if (written + 2 > destination.Length)
            {
                written = 0;
                return false;
            }

            destination[written++] = (byte)'.';
            destination[written++] = (byte)'0';
            return true;
        }

        while (written > point + 1 && destination[written - 1] == (byte)'0')
        {
            written--;
        }

        if (written == point + 1)
        {
            // Every fraction digit was a zero: the first one is still there to keep.
            written = keepOneFractionDigit ? point + 2 : point;
        }

        return true;
    }

    /// <summary>The same spelling as a string, for writers that work in text rather than bytes.</summary>
    public static string ToString(decimal amount, bool keepOneFractionDigit = false)
    {
        Span<byte> text = stackalloc byte[64];
        TryFormat(amount, text, out var written, keepOneFractionDigit);
        return Encoding.ASCII.GetString(text[..written]);
    }
}
