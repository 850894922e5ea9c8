using Odock.Grains.Budgets;

namespace Odock.Grains.Tests.Budgets;

public sealed class CompletionLogTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 2)]
    [InlineData(7, 3)]
    [InlineData(64, 4)]
    [InlineData(4096, 5)]
    public void Remembers_what_a_list_in_completion_order_remembers_through_any_mix_of_operations(int capacity, int seed)
    {
        // A reference with the same rules, written the plain way: completions in order, the oldest place dropped once
        // there are more than the capacity, a forgotten completion's place kept until then.
        var random = new Random(seed);
        var log = new CompletionLog(capacity);
        var order = new List<(string Id, bool Live, Completion Completion)>();
        var ids = Enumerable.Range(0, capacity * 3 + 5).Select(i => i % 5 == 0 ? $"réservation-{i}" : $"req_{i:D32}").ToArray();

        for (var step = 0; step < 20_000; step++)
        {
            var id = ids[random.Next(ids.Length)];
            var key = ReservationKey.Of(id);
            var live = order.FindIndex(entry => entry.Id == id && entry.Live);
            switch (random.Next(4))
            {
                case 0 or 1:
                    var completion = new Completion((ReservationOutcome)random.Next(3), random.Next(1_000) / 100m);
                    log.Remember(key, completion);
                    if (live >= 0)
                    {
                        order[live] = (id, true, completion);
                    }
                    else
                    {
                        order.Add((id, true, completion));
                        if (order.Count > capacity)
                        {
                            order.RemoveAt(0);
                        }
                    }

                    break;
                case 2:
                    Assert.Equal(live >= 0, log.Forget(key));
                    if (live >= 0)
                    {
                        order[live] = (id, false, default);
                    }

                    break;
                default:
                    Assert.Equal(live >= 0, log.TryGet(key, out var remembered));
                    if (live >= 0)
                    {
                        Assert.Equal(order[live].Completion, remembered);
                    }

                    break;
            }

            Assert.Equal(order.Count(entry => entry.Live), log.Count);
        }

        foreach (var id in ids)
        {
            var live = order.FindIndex(entry => entry.Id == id && entry.Live);
            Assert.Equal(live >= 0, log.Contains(ReservationKey.Of(id)));
        }
    }

    [Fact]
    public void A_log_that_remembers_a_few_completions_holds_room_for_a_few()
    {
        // Every budget and quota activation has a book; a quiet one must not carry a busy one's 4,096 entries.
        var small = Allocated(completions: 8);
        var full = Allocated(completions: 4096);

        Assert.True(small * 50 < full, $"{small} bytes for 8 completions, {full} for 4,096");
    }

    [Fact]
    public void A_full_log_allocates_nothing_more_to_remember_the_next_completions()
    {
        var log = new CompletionLog(capacity: 256);
        var keys = Enumerable.Range(0, 1024).Select(i => ReservationKey.Of($"req_{i:D32}")).ToArray();
        for (var i = 0; i < 512; i++)
        {
            log.Remember(keys[i], new Completion(ReservationOutcome.Settled, 1m));
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 512; i < 1024; i++)
        {
            log.Remember(keys[i], new Completion(ReservationOutcome.Settled, 1m));
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(256, log.Count);
        Assert.False(log.Contains(keys[767]));
        Assert.True(log.Contains(keys[768]));
    }

    private static long Allocated(int completions)
    {
        var keys = Enumerable.Range(0, completions).Select(i => ReservationKey.Of($"req_{i:D32}")).ToArray();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var log = new CompletionLog(capacity: 4096);
        foreach (var key in keys)
        {
            log.Remember(key, new Completion(ReservationOutcome.Settled, 1m));
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        GC.KeepAlive(log);
        return allocated;
    }
}
