using System.Globalization;

namespace Odock.Storage.Reporting;

/// <summary>
/// Where the next page of a usage listing starts: the last row returned, by (time, id). Keyset paging stays as fast on
/// page ten thousand as on page one and never skips or repeats a row when new rows arrive meanwhile.
/// </summary>
public sealed record UsageCursor(DateTimeOffset OccurredAt, Guid Id)
{
    /// <summary>An opaque token for an API's <c>next</c> link.</summary>
    public string ToToken() => $"{OccurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}.{Id:N}";

    public static bool TryParse(string? token, out UsageCursor? cursor)
    {
        cursor = null;
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0
            || !long.TryParse(token.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks
            || !Guid.TryParseExact(token.AsSpan(dot + 1), "N", out var id))
        {
            return false;
        }

        cursor = new UsageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        return true;
    }
}
