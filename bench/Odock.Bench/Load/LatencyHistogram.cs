using System.Numerics;

namespace Odock.Bench.Load;

/// <summary>
/// Call latencies in <see cref="System.Diagnostics.Stopwatch"/> ticks, bucketed like HdrHistogram: values under 128
/// are exact, above that each doubling is split into 64 buckets, so a reported percentile is at most 1.6 % above the
/// true value. Fixed size, no allocation per record; one per caller, merged when the run ends.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int ExactBits = 7;
    private const int ExactCount = 1 << ExactBits;
    private const int BucketsPerDoubling = ExactCount / 2;
    private const int Doublings = 40;
    private const int Length = ExactCount + Doublings * BucketsPerDoubling;

    private readonly long[] _counts = new long[Length];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long ticks)
    {
        var value = Math.Max(0, ticks);
        _counts[IndexOf(value)]++;
        Count++;
        Max = Math.Max(Max, value);
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
        Max = Math.Max(Max, other.Max);
    }

    /// <summary>The smallest recorded value that at least <paramref name="percentile"/> % of the calls did not exceed.</summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        long seen = 0;
        for (var i = 0; i < Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return Math.Min(HighestValueIn(i), Max);
            }
        }

        return Max;
    }

    private static int IndexOf(long value)
    {
        if (value < ExactCount)
        {
            return (int)value;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - (ExactBits - 1);
        var top = (int)(value >> shift);
        return Math.Min(Length - 1, ExactCount + (shift - 1) * BucketsPerDoubling + (top - BucketsPerDoubling));
    }

    private static long HighestValueIn(int index)
    {
        if (index < ExactCount)
        {
            return index;
        }

        var shift = (index - ExactCount) / BucketsPerDoubling + 1;
        var top = (index - ExactCount) % BucketsPerDoubling + BucketsPerDoubling;
        return ((long)(top + 1) << shift) - 1;
    }
}
