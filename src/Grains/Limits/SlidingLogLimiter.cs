namespace Odock.Grains.Limits;

/// <summary>
/// An exact sliding-window request limit: at most <see cref="Limit"/> admissions in any interval of length
/// <see cref="Window"/>, whatever its start. It keeps the admission times of the last <c>Limit</c> requests in a
/// ring; a request is admitted when the ring has room or its oldest entry has left the window.
/// </summary>
/// <remarks>
/// Chosen over fixed windows (which admit twice the limit across a boundary) and GCRA (whose burst tolerance
/// admits up to 2·limit−1 in a window after an idle period) because a customer who buys "100 per minute" can
/// check it against any minute of their logs. Memory is 8 bytes per admission held, allocated as traffic arrives:
/// an idle limiter holds no ring at all.
/// </remarks>
public sealed class SlidingLogLimiter
{
    private long[] _ring = [];
    private int _head;
    private int _count;

    public SlidingLogLimiter(int limit, TimeSpan window)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(window, TimeSpan.Zero);
        Limit = limit;
        Window = window;
    }

    public int Limit { get; }

    public TimeSpan Window { get; }

    /// <summary>Admissions still inside the window at <paramref name="now"/>.</summary>
    public int CountAt(DateTimeOffset now)
    {
        Evict(now.UtcTicks);
        return _count;
    }

    /// <summary>Admits and records the request if it fits; otherwise says when the oldest admission leaves the window.</summary>
    public LimitDecision TryAcquire(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        Evict(ticks);
        if (_count >= Limit)
        {
            var oldest = _ring[_head];
            return LimitDecision.Deny(TimeSpan.FromTicks(Math.Max(1, oldest + Window.Ticks - ticks)));
        }

        EnsureCapacity();
        _ring[(_head + _count) % _ring.Length] = ticks;
        _count++;
        return LimitDecision.Allow;
    }

    /// <summary>Checks without recording, so several limits can be checked before any is charged.</summary>
    public LimitDecision Peek(DateTimeOffset now)
    {
        var ticks = now.UtcTicks;
        Evict(ticks);
        return _count < Limit
            ? LimitDecision.Allow
            : LimitDecision.Deny(TimeSpan.FromTicks(Math.Max(1, _ring[_head] + Window.Ticks - ticks)));
    }

    private void Evict(long nowTicks)
    {
        var horizon = nowTicks - Window.Ticks;
        while (_count > 0 && _ring[_head] <= horizon)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
        }

        if (_count == 0)
        {
            _head = 0;
        }
    }

    private void EnsureCapacity()
    {
        if (_count < _ring.Length)
        {
            return;
        }

        var grown = new long[Math.Min(Limit, Math.Max(4, _ring.Length * 2))];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _ring[(_head + i) % _ring.Length];
        }

        _ring = grown;
        _head = 0;
    }
}
