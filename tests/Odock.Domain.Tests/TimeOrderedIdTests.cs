using Odock.Domain.Common;

namespace Odock.Domain.Tests;

public sealed class TimeOrderedIdTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 15, 30, 45, 123, TimeSpan.FromHours(1));

    [Fact]
    public void An_id_is_a_version_7_uuid_that_carries_its_millisecond_as_guid_create_version_7_lays_it_out()
    {
        var id = TimeOrderedId.Create(At);
        var reference = Guid.CreateVersion7(At);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        var bytes = id.ToByteArray(bigEndian: true);
        var expected = reference.ToByteArray(bigEndian: true);
        Assert.Equal(expected[..6], bytes[..6]);
        Assert.Equal(expected[6] & 0xF0, bytes[6] & 0xF0);
        Assert.Equal(expected[8] & 0xC0, bytes[8] & 0xC0);
        var milliseconds = bytes[..6].Aggregate(0L, (value, b) => (value << 8) | b);
        Assert.Equal(At.ToUnixTimeMilliseconds(), milliseconds);
    }

    [Fact]
    public void Ids_are_distinct_across_many_buffer_refills_and_their_random_bits_vary()
    {
        const int count = 200_000;
        var ids = new HashSet<Guid>();
        var seenLowBytes = new HashSet<byte>();
        for (var i = 0; i < count; i++)
        {
            var id = TimeOrderedId.Create(At);
            Assert.True(ids.Add(id), $"id {i} repeated an earlier one");
            seenLowBytes.Add(id.ToByteArray(bigEndian: true)[15]);
        }

        // Same millisecond throughout, so everything after the timestamp must come from the random source.
        Assert.Equal(256, seenLowBytes.Count);
    }

    [Fact]
    public void Ids_from_later_milliseconds_sort_after_earlier_ones_as_guids_and_as_text()
    {
        var ids = Enumerable.Range(0, 1_000).Select(i => TimeOrderedId.Create(At.AddMilliseconds(i))).ToList();

        Assert.Equal(ids, ids.OrderBy(id => id).ToList());
        Assert.Equal(ids.Select(id => id.ToString("N")), ids.Select(id => id.ToString("N")).Order(StringComparer.Ordinal));
        Assert.Equal(ids.Select(id => id.ToString("D").ToUpperInvariant()), ids.Select(id => id.ToString("D").ToUpperInvariant()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Ids_made_on_several_threads_at_once_are_distinct()
    {
        var perThread = new Guid[4][];
        Parallel.For(0, perThread.Length, new ParallelOptions { MaxDegreeOfParallelism = perThread.Length }, t =>
            perThread[t] = Enumerable.Range(0, 5_000).Select(_ => TimeOrderedId.Create(At)).ToArray());

        var all = perThread.SelectMany(ids => ids).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void A_time_before_the_unix_epoch_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TimeOrderedId.Create(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
    }
}
