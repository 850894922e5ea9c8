namespace Odock.Grains.Limits;

/// <summary>
/// A sliding sum of tokens over a window, kept in <c>buckets</c> equal slices (60 for a minute: one-second
/// resolution). A request fits when the sum over the last window plus its estimate stays within the limit.
/// Token counts are estimates until a request completes, so a slice-granular window is as exact as the data; the
/// correction (actual − estimate) lands in the slice of the completion.
/// </summary>
public sealed class TokenWindow
{
    private readonly long[] _sums;
    private readonly long _sliceTicks;
    private long _newestSlice = long.MinValue;

    public TokenWindow(long limit, TimeSpan window, int buckets = 60)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(window.Ticks, buckets);
        Limit = limit;
        Window = window;
        _sums = new long[buckets];
        _sliceTicks = window.Ticks / buckets;
    }

    public long Limit { get; }

    public TimeSpan Window { get; }

    public long UsedAt(DateTimeOffset now)
    {
        Advance(now);
        return Math.Max(0, _sums.Sum());
    }

    /// <summary>Counts <paramref name="tokens"/> if they fit; otherwise says when enough of the window will have slid out.</summary>
    public LimitDecision TryTake(DateTimeOffset now, long tokens)
    {
        var decision = Peek(now, tokens);
        if (decision.Allowed)
        {
            _sums[SliceIndex(now)] += tokens;
        }

        return decision;
    }

    public LimitDecision Peek(DateTimeOffset now, long tokens)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        var used = UsedAt(now);
        if (used + tokens <= Limit)
        {
            return LimitDecision.Allow;
        }

        if (tokens > Limit)
        {
            // Never fits, whatever the wait: say so with a zero retry.
            return LimitDecision.Deny(TimeSpan.Zero);
        }

        return LimitDecision.Deny(TimeUntilFits(now, used + tokens - Limit));
    }

    /// <summary>Adds a correction (negative when the request used fewer tokens than estimated).</summary>
    public void Adjust(DateTimeOffset now, long delta)
    {
        Advance(now);
        _sums[SliceIndex(now)] += delta;
    }

    private TimeSpan TimeUntilFits(DateTimeOffset now, long excess)
    {
        var current = now.UtcTicks / _sliceTicks;
        var freed = 0L;
        for (var age = _sums.Length - 1; age >= 0; age--)
        {
            freed += _sums[(int)((current - age) % _sums.Length)];
            if (freed >= excess)
            {
                var expiresAt = (current - age + _sums.Length) * _sliceTicks;
                return TimeSpan.FromTicks(Math.Max(1, expiresAt - now.UtcTicks));
            }
        }

        return Window;
    }

    private void Advance(DateTimeOffset now)
    {
        var slice = now.UtcTicks / _sliceTicks;
        if (slice <= _newestSlice)
        {
            return;
        }

        var stale = _newestSlice == long.MinValue ? _sums.Length : (int)Math.Min(_sums.Length, slice - _newestSlice);
        for (var i = 1; i <= stale; i++)
        {
            _sums[(int)((slice - stale + i) % _sums.Length)] = 0;
        }

        _newestSlice = slice;
    }

    private int SliceIndex(DateTimeOffset now) => (int)(now.UtcTicks / _sliceTicks % _sums.Length);
}
