using System.Globalization;
using Odock.Domain.Common;

namespace Odock.Domain.Periods;

/// <summary>
/// A reset schedule in an IANA time zone. This is the one place window boundaries are computed: a daily budget in
/// Europe/Paris starts at Paris midnight, whatever the server's zone, and a day that has 23 or 25 hours because of a
/// daylight-saving change is exactly that long.
/// </summary>
public sealed record Period
{
    public Period(PeriodKind kind, string timeZoneId = "UTC")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(timeZoneId);
        Kind = kind;
        TimeZoneId = timeZoneId;
        TimeZone = FindTimeZone(timeZoneId)
            ?? throw new DomainValidationException([new ValidationProblem("time_zone", $"'{timeZoneId}' is not an IANA time zone (for example UTC, Europe/Paris, America/New_York)")]);
    }

    public static Period Lifetime { get; } = new(PeriodKind.Lifetime);

    public PeriodKind Kind { get; }

    public string TimeZoneId { get; }

    public TimeZoneInfo TimeZone { get; }

    public static bool IsKnownTimeZone(string? timeZoneId) => timeZoneId is { Length: > 0 } && FindTimeZone(timeZoneId) is not null;

    /// <summary>The window that contains <paramref name="instant"/>.</summary>
    public PeriodWindow WindowAt(DateTimeOffset instant)
    {
        if (Kind == PeriodKind.Lifetime)
        {
            return new PeriodWindow(DateTimeOffset.UnixEpoch, null, "lifetime");
        }

        var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);
        var (first, next) = Kind switch
        {
            PeriodKind.Daily => (localDate, localDate.AddDays(1)),
            PeriodKind.Weekly => WeekOf(localDate),
            PeriodKind.Monthly => (new DateOnly(localDate.Year, localDate.Month, 1), new DateOnly(localDate.Year, localDate.Month, 1).AddMonths(1)),
            _ => throw new InvalidOperationException($"Unknown period kind {Kind}."),
        };

        return new PeriodWindow(StartOfLocalDay(first), StartOfLocalDay(next), KeyOf(first));
    }

    /// <summary>The window after the one containing <paramref name="instant"/>; lifetime has none.</summary>
    public PeriodWindow? NextWindow(DateTimeOffset instant) => WindowAt(instant).End is { } end ? WindowAt(end) : null;

    public override string ToString() => Kind == PeriodKind.Lifetime ? "lifetime" : $"{WireName.Of(Kind)} ({TimeZoneId})";

    private static (DateOnly First, DateOnly Next) WeekOf(DateOnly date)
    {
        var daysSinceMonday = ((int)date.DayOfWeek + 6) % 7;
        var monday = date.AddDays(-daysSinceMonday);
        return (monday, monday.AddDays(7));
    }

    private string KeyOf(DateOnly first) => Kind switch
    {
        PeriodKind.Daily => first.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        PeriodKind.Weekly => string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(first.ToDateTime(TimeOnly.MinValue))}-W{ISOWeek.GetWeekOfYear(first.ToDateTime(TimeOnly.MinValue)):00}"),
        PeriodKind.Monthly => first.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => "lifetime",
    };

    /// <summary>
    /// The first instant whose local date is <paramref name="date"/>. Where midnight is skipped by a clock change the day
    /// starts at the transition; where midnight happens twice it starts at the first one.
    /// </summary>
    private DateTimeOffset StartOfLocalDay(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        TimeSpan offset;
        if (TimeZone.IsInvalidTime(midnight))
        {
            offset = TimeZone.GetUtcOffset(midnight.AddHours(-6));
        }
        else if (TimeZone.IsAmbiguousTime(midnight))
        {
            offset = TimeZone.GetAmbiguousTimeOffsets(midnight).Max();
        }
        else
        {
            offset = TimeZone.GetUtcOffset(midnight);
        }

        return new DateTimeOffset(midnight - offset, TimeSpan.Zero);
    }

    private static TimeZoneInfo? FindTimeZone(string id)
    {
        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }
}
