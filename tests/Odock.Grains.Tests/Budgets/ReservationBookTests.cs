using Odock.Grains.Budgets;

namespace Odock.Grains.Tests.Budgets;

public sealed class ReservationBookTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Now.AddMinutes(10);

    [Fact]
    public void Exactly_as_many_reservations_as_fit_succeed_and_open_plus_settled_never_exceeds_the_limit()
    {
        var book = new ReservationBook(limit: 10.00m);

        var granted = Enumerable.Range(0, 2000).Count(i => book.Reserve($"r{i}", 0.01m, Now, Later).Outcome == ReservationOutcome.Reserved);

        Assert.Equal(1000, granted);
        Assert.Equal(10.00m, book.OpenTotal);
        Assert.Equal(0m, book.Remaining);
    }

    [Fact]
    public void Settling_below_the_reserved_amount_frees_headroom_for_more()
    {
        var book = new ReservationBook(limit: 1.00m);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(ReservationOutcome.Reserved, book.Reserve($"r{i}", 0.10m, Now, Later).Outcome);
        }

        Assert.Equal(ReservationOutcome.Refused, book.Reserve("extra", 0.10m, Now, Later).Outcome);
        for (var i = 0; i < 10; i++)
        {
            book.Settle($"r{i}", 0.04m);
        }

        Assert.Equal(0.40m, book.Settled);
        Assert.Equal(0.60m, book.Remaining);
        Assert.Equal(ReservationOutcome.Reserved, book.Reserve("extra", 0.10m, Now, Later).Outcome);
    }

    [Fact]
    public void A_repeated_settle_charges_once_and_returns_the_first_answer()
    {
        var book = new ReservationBook(limit: 5m);
        book.Reserve("r1", 1m, Now, Later);

        var first = book.Settle("r1", 0.75m);
        var again = book.Settle("r1", 0.75m);
        var differentAmount = book.Settle("r1", 3m);

        Assert.False(first.Repeated);
        Assert.True(again.Repeated);
        Assert.Equal(0.75m, differentAmount.Amount);
        Assert.Equal(0.75m, book.Settled);
    }

    [Fact]
    public void A_repeated_reserve_holds_once()
    {
        var book = new ReservationBook(limit: 5m);

        book.Reserve("r1", 2m, Now, Later);
        var again = book.Reserve("r1", 2m, Now, Later);

        Assert.True(again.Repeated);
        Assert.Equal(2m, book.OpenTotal);
        Assert.Equal(1, book.OpenCount);
    }

    [Fact]
    public void A_reserve_repeated_after_its_settle_does_not_hold_again()
    {
        var book = new ReservationBook(limit: 5m);
        book.Reserve("r1", 2m, Now, Later);
        book.Settle("r1", 2m);

        var late = book.Reserve("r1", 2m, Now, Later);

        Assert.Equal(ReservationOutcome.Settled, late.Outcome);
        Assert.True(late.Repeated);
        Assert.Equal(0m, book.OpenTotal);
        Assert.Equal(2m, book.Settled);
    }

    [Fact]
    public void Settle_without_a_live_reservation_still_charges()
    {
        var book = new ReservationBook(limit: 5m);

        var result = book.Settle("never-reserved", 1.25m);

        Assert.Equal(ReservationOutcome.Settled, result.Outcome);
        Assert.Equal(1.25m, book.Settled);
    }

    [Fact]
    public void Expired_reservations_free_their_amount_and_a_late_settle_is_charged_as_overspend()
    {
        var book = new ReservationBook(limit: 1m);
        book.Reserve("slow", 1m, Now, Now.AddSeconds(30));

        Assert.Equal(ReservationOutcome.Refused, book.Reserve("blocked", 0.5m, Now.AddSeconds(29), Later).Outcome);
        Assert.Equal(ReservationOutcome.Reserved, book.Reserve("after-expiry", 1m, Now.AddSeconds(30), Later).Outcome);
        book.Settle("after-expiry", 1m);
        book.Settle("slow", 0.4m);

        Assert.Equal(1.4m, book.Settled);
        Assert.Equal(0.4m, book.Overspend);
        Assert.Equal(0m, book.Remaining);
    }

    [Fact]
    public void Each_reservation_expires_at_its_own_time_whatever_order_they_were_made_and_completed_in()
    {
        // The book skips its expiry scan until the earliest open reservation is due: this walks that bound through a
        // later reservation made first, an earlier one made after it, the earliest settled before it was due, and
        // expiries that free one reservation while another stays.
        var book = new ReservationBook(limit: 10m);
        book.Reserve("late", 1m, Now, Now.AddSeconds(40));
        book.Reserve("early", 2m, Now, Now.AddSeconds(10));
        book.Reserve("settled-first", 3m, Now, Now.AddSeconds(5));
        book.Settle("settled-first", 3m);
        book.Reserve("middle", 4m, Now, Now.AddSeconds(20));

        Assert.Equal(0, book.ExpireReservations(Now.AddSeconds(6)));
        Assert.Equal(7m, book.OpenTotal);
        Assert.Equal(1, book.ExpireReservations(Now.AddSeconds(10)));
        Assert.Equal(5m, book.OpenTotal);
        Assert.Equal(0, book.ExpireReservations(Now.AddSeconds(19)));
        Assert.Equal(ReservationOutcome.Reserved, book.Reserve("after-middle", 2m, Now.AddSeconds(20), Now.AddSeconds(30)).Outcome);
        Assert.Equal(3m, book.OpenTotal);
        Assert.Equal(2, book.OpenCount);
        Assert.Equal(1, book.ExpireReservations(Now.AddSeconds(30)));
        Assert.Equal(1m, book.OpenTotal);
        Assert.Equal(1, book.ExpireReservations(Now.AddSeconds(40)));
        Assert.Equal(0, book.OpenCount);
        Assert.Equal(3m, book.Settled);
    }

    [Fact]
    public void Release_returns_the_amount_and_is_idempotent()
    {
        var book = new ReservationBook(limit: 1m);
        book.Reserve("r1", 0.6m, Now, Later);

        var first = book.Release("r1");
        var again = book.Release("r1");

        Assert.Equal(0.6m, first.Amount);
        Assert.True(again.Repeated);
        Assert.Equal(1m, book.Remaining);
        Assert.Equal(0m, book.Settled);
    }

    [Fact]
    public void A_settle_after_a_release_still_charges_once()
    {
        var book = new ReservationBook(limit: 1.00m);
        book.Reserve("r1", 0.50m, Now, Later);
        book.Release("r1");

        var settled = book.Settle("r1", 0.30m);
        var repeated = book.Settle("r1", 0.30m);

        Assert.Equal(ReservationOutcome.Settled, settled.Outcome);
        Assert.False(settled.Repeated);
        Assert.True(repeated.Repeated);
        Assert.Equal(0.30m, book.Settled);
        Assert.Equal(0m, book.OpenTotal);
    }

    [Fact]
    public void A_reserve_after_a_release_of_the_same_id_holds_afresh()
    {
        var book = new ReservationBook(limit: 1.00m);
        book.Reserve("r1", 0.50m, Now, Later);
        book.Release("r1");

        var again = book.Reserve("r1", 0.50m, Now, Later);

        Assert.Equal(ReservationOutcome.Reserved, again.Outcome);
        Assert.Equal(0.50m, book.OpenTotal);
        Assert.Equal(ReservationOutcome.Settled, book.Settle("r1", 0.50m).Outcome);
        Assert.Equal(0.50m, book.Settled);
    }

    [Fact]
    public void A_refused_reservation_can_be_retried_with_the_same_id_once_headroom_frees()
    {
        var book = new ReservationBook(limit: 1m);
        book.Reserve("big", 1m, Now, Later);
        Assert.Equal(ReservationOutcome.Refused, book.Reserve("retry", 0.5m, Now, Later).Outcome);

        book.Release("big");

        Assert.Equal(ReservationOutcome.Reserved, book.Reserve("retry", 0.5m, Now, Later).Outcome);
    }

    [Fact]
    public void Remembered_completions_are_bounded_and_the_oldest_are_forgotten_first()
    {
        var book = new ReservationBook(limit: 100m, rememberedCompletions: 3);
        foreach (var id in new[] { "a", "b", "c", "d" })
        {
            book.Settle(id, 1m);
        }

        Assert.True(book.Settle("d", 1m).Repeated);
        Assert.False(book.Settle("a", 1m).Repeated);
        Assert.Equal(5m, book.Settled);
    }

    [Fact]
    public void A_new_period_restarts_settled_spend_but_keeps_open_reservations()
    {
        var book = new ReservationBook(limit: 10m);
        book.Reserve("open", 3m, Now, Later);
        book.Settle("done", 6m);

        book.StartPeriod(settled: 0m);

        Assert.Equal(0m, book.Settled);
        Assert.Equal(3m, book.OpenTotal);
        Assert.Equal(7m, book.Remaining);
    }

    [Fact]
    public void Decimal_amounts_stay_exact_over_many_small_operations()
    {
        var book = new ReservationBook(limit: 1m);
        for (var i = 0; i < 10_000; i++)
        {
            book.Reserve($"r{i}", 0.0001m, Now, Later);
            book.Settle($"r{i}", 0.0001m);
        }

        Assert.Equal(1.0000m, book.Settled);
        Assert.Equal(ReservationOutcome.Refused, book.Reserve("one-more", 0.0001m, Now, Later).Outcome);
    }

    [Theory]
    [InlineData("req_019ab3c5d2e47f00a1b2c3d4e5f60718")]
    [InlineData("req_019ab3c5d2e47f00a1b2c3d4e5f60718.2")]
    [InlineData("req_019ab3c5d2e47f00a1b2c3d4e5f60718.200")]
    [InlineData("req_019ab3c5d2e47f00a1b2c3d4e5f60718.2000")]
    [InlineData("r")]
    [InlineData("réservation-1")]
    [InlineData("a-reservation-id-longer-than-forty-eight-characters-which-is-kept-as-text")]
    public void Ids_of_every_length_and_alphabet_are_told_apart_exactly(string id)
    {
        var book = new ReservationBook(limit: 100m);
        var neighbours = new[] { id + "x", id[..^1], id[..^1] + (char)(id[^1] + 1), id + "\0", id.ToUpperInvariant() }
            .Where(other => other.Length > 0 && other != id)
            .Distinct()
            .ToArray();

        Assert.False(book.Settle(id, 1m).Repeated);
        Assert.True(book.Settle(new string(id.AsSpan()), 1m).Repeated);
        Assert.True(book.Knows(id));
        foreach (var other in neighbours)
        {
            Assert.False(book.Knows(other), other);
            Assert.False(book.Settle(other, 1m).Repeated, other);
        }

        Assert.Equal(1m + neighbours.Length, book.Settled);
    }

    [Fact]
    public void Ids_of_40_ascii_characters_or_fewer_are_remembered_without_keeping_the_callers_strings_alive()
    {
        // The book's memory of completions outlives the requests that made them; holding their id strings kept each
        // one past the young generation, which made every gen0 collection copy them (docs/BENCHMARKS.md).
        var book = new ReservationBook(limit: 1_000m);
        var (shortIds, longIds) = SettleFreshIds(book, count: 500);

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(shortIds, id => Assert.False(id.TryGetTarget(out _)));
        Assert.All(longIds, id => Assert.True(id.TryGetTarget(out _)));
        for (var i = 0; i < 500; i++)
        {
            Assert.True(book.Settle(ShortId(i), 1m).Repeated);
            Assert.True(book.Settle(LongId(i), 1m).Repeated);
        }

        Assert.Equal(1_000m, book.Settled);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static (WeakReference<string>[] Short, WeakReference<string>[] Long) SettleFreshIds(ReservationBook book, int count)
    {
        var shortIds = new WeakReference<string>[count];
        var longIds = new WeakReference<string>[count];
        for (var i = 0; i < count; i++)
        {
            var shortId = ShortId(i);
            var longId = LongId(i);
            book.Settle(shortId, 1m);
            book.Settle(longId, 1m);
            shortIds[i] = new WeakReference<string>(shortId);
            longIds[i] = new WeakReference<string>(longId);
        }

        return (shortIds, longIds);
    }

    private static string ShortId(int i) => $"req_{i:x32}";

    private static string LongId(int i) => $"req_{i:x32}/with-a-suffix-past-40";
}
