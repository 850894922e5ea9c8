using Odock.Domain.Common;
using Odock.Domain.Periods;

namespace Odock.Domain.Tests;

public sealed class PeriodTests
{
    [Fact]
    public void Daily_window_starts_at_local_midnight_of_the_periods_time_zone()
    {
        var period = new Period(PeriodKind.Daily, "Europe/Paris");

        var window = period.WindowAt(DateTimeOffset.Parse("2026-11-22T23:30:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-11-22T23:00:00Z"), window.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-11-23T23:00:00Z"), window.End);
        Assert.Equal("2026-11-23", window.Key);
    }

    [Fact]
    public void Daily_window_on_spring_forward_day_lasts_23_hours()
    {
        var period = new Period(PeriodKind.Daily, "America/New_York");

        var window = period.WindowAt(DateTimeOffset.Parse("2026-03-08T15:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-03-08T05:00:00Z"), window.Start);
        Assert.Equal(TimeSpan.FromHours(23), window.End!.Value - window.Start);
    }

    [Fact]
    public void Daily_window_on_fall_back_day_lasts_25_hours()
    {
        var period = new Period(PeriodKind.Daily, "Europe/Paris");

        var window = period.WindowAt(DateTimeOffset.Parse("2026-10-25T12:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-10-24T22:00:00Z"), window.Start);
        Assert.Equal(TimeSpan.FromHours(25), window.End!.Value - window.Start);
    }

    [Fact]
    public void Day_whose_midnight_is_skipped_starts_at_the_transition()
    {
        // Chile moves clocks from 00:00 to 01:00 on the first Sunday of September.
        var period = new Period(PeriodKind.Daily, "America/Santiago");

        var window = period.WindowAt(DateTimeOffset.Parse("2026-09-06T12:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-09-06T04:00:00Z"), window.Start);
        Assert.Equal(TimeSpan.FromHours(23), window.End!.Value - window.Start);
    }

    [Fact]
    public void Weekly_window_runs_from_iso_monday_to_monday_and_is_keyed_by_iso_week()
    {
        var period = new Period(PeriodKind.Weekly, "UTC");

        var window = period.WindowAt(DateTimeOffset.Parse("2027-01-01T10:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-12-28T00:00:00Z"), window.Start);
        Assert.Equal(DateTimeOffset.Parse("2027-01-04T00:00:00Z"), window.End);
        Assert.Equal("2026-W53", window.Key);
    }

    [Fact]
    public void Monthly_window_covers_the_local_calendar_month()
    {
        var period = new Period(PeriodKind.Monthly, "Asia/Tokyo");

        var window = period.WindowAt(DateTimeOffset.Parse("2026-01-31T16:00:00Z"));

        Assert.Equal(DateTimeOffset.Parse("2026-01-31T15:00:00Z"), window.Start);
        Assert.Equal(DateTimeOffset.Parse("2026-02-28T15:00:00Z"), window.End);
        Assert.Equal("2026-02", window.Key);
    }

    [Fact]
    public void Lifetime_window_never_ends()
    {
        var window = Period.Lifetime.WindowAt(DateTimeOffset.Parse("2026-05-01T00:00:00Z"));

        Assert.Null(window.End);
        Assert.Equal("lifetime", window.Key);
        Assert.True(window.Contains(DateTimeOffset.Parse("2099-01-01T00:00:00Z")));
        Assert.Null(Period.Lifetime.NextWindow(DateTimeOffset.UtcNow));
    }

    [Fact]
    public void Window_end_is_exclusive_and_next_window_starts_there()
    {
        var period = new Period(PeriodKind.Daily, "UTC");
        var window = period.WindowAt(DateTimeOffset.Parse("2026-11-22T08:00:00Z"));

        Assert.False(window.Contains(window.End!.Value));
        Assert.Equal(window.End, period.NextWindow(DateTimeOffset.Parse("2026-11-22T08:00:00Z"))!.Value.Start);
    }

    [Fact]
    public void Unknown_time_zone_is_refused_naming_the_field()
    {
        var error = Assert.Throws<DomainValidationException>(() => new Period(PeriodKind.Daily, "Mars/Olympus_Mons"));

        Assert.Equal("time_zone", Assert.Single(error.Problems).Field);
        Assert.Contains("Mars/Olympus_Mons", error.Message, StringComparison.Ordinal);
    }
}
