using Odock.Grains.Limits;

namespace Odock.Grains.Tests.Limits;

public sealed class SlidingLogLimiterTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Admits_exactly_the_limit_within_one_window()
    {
        var limiter = new SlidingLogLimiter(100, TimeSpan.FromMinutes(1));

        var admitted = Enumerable.Range(0, 250).Count(i => limiter.TryAcquire(Start.AddMilliseconds(i * 10)).Allowed);

        Assert.Equal(100, admitted);
    }

    [Fact]
    public void No_interval_of_window_length_ever_holds_more_than_the_limit_even_across_a_boundary()
    {
        var limiter = new SlidingLogLimiter(10, TimeSpan.FromSeconds(60));
        var admittedAt = new List<DateTimeOffset>();
        var random = new Random(42);
        var t = Start;
        for (var i = 0; i < 5000; i++)
        {
            t = t.AddMilliseconds(random.Next(0, 2000));
            if (limiter.TryAcquire(t).Allowed)
            {
                admittedAt.Add(t);
            }
        }

        for (var i = 0; i < admittedAt.Count; i++)
        {
            var inWindow = admittedAt.Count(a => a >= admittedAt[i] && a < admittedAt[i] + TimeSpan.FromSeconds(60));
            Assert.True(inWindow <= 10, $"{inWindow} admissions in the minute starting {admittedAt[i]:O}");
        }

        Assert.True(admittedAt.Count > 50, "the limiter keeps admitting as the window slides");
    }

    [Fact]
    public void A_refusal_says_exactly_when_the_oldest_admission_leaves_the_window()
    {
        var limiter = new SlidingLogLimiter(2, TimeSpan.FromSeconds(10));
        limiter.TryAcquire(Start);
        limiter.TryAcquire(Start.AddSeconds(4));

        var refused = limiter.TryAcquire(Start.AddSeconds(7));

        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(3), refused.RetryAfter);
        Assert.False(limiter.TryAcquire(Start.AddSeconds(10).AddTicks(-1)).Allowed);
        Assert.True(limiter.TryAcquire(Start.AddSeconds(10)).Allowed);
    }

    [Fact]
    public void Peek_checks_without_recording()
    {
        var limiter = new SlidingLogLimiter(1, TimeSpan.FromSeconds(1));

        Assert.True(limiter.Peek(Start).Allowed);
        Assert.True(limiter.Peek(Start).Allowed);
        Assert.True(limiter.TryAcquire(Start).Allowed);
        Assert.False(limiter.Peek(Start).Allowed);
    }

    [Fact]
    public void The_count_drains_as_time_passes()
    {
        var limiter = new SlidingLogLimiter(5, TimeSpan.FromSeconds(5));
        for (var i = 0; i < 5; i++)
        {
            limiter.TryAcquire(Start.AddSeconds(i));
        }

        Assert.Equal(5, limiter.CountAt(Start.AddSeconds(4)));
        Assert.Equal(2, limiter.CountAt(Start.AddSeconds(7)));
        Assert.Equal(0, limiter.CountAt(Start.AddSeconds(60)));
    }
}
