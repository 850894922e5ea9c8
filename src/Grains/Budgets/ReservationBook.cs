namespace Odock.Grains.Budgets;

/// <summary>
/// The arithmetic of a budget or quota within one period: a limit, the settled spend, and the open reservations.
/// Reservation ids make every operation idempotent: a reserve, settle or release repeated after a timeout or a
/// failover returns the first answer instead of charging twice. A budget grain owns one book; the book has no I/O.
/// </summary>
/// <remarks>
/// Invariant: settled + open ≤ limit after every successful reserve. Settling can push settled spend past the
/// limit only when the actual amount exceeds what was reserved, or when a reservation expired before its settle
/// arrived; both are charged because the money was really spent (the ledger is the truth), and both are visible
/// as <see cref="Overspend"/>.
/// </remarks>
public sealed class ReservationBook
{
    private readonly Dictionary<ReservationKey, OpenReservation> _open = [];
    private readonly CompletionLog _completed;
    private decimal _openTotal;

    // No open reservation expires before this instant: a reserve scans the open ones only once it has passed, so a
    // book with many calls in flight (long streams on an organisation's budget) does not walk them all on every
    // reserve. It may be earlier than the true earliest (that reservation was settled since), never later.
    private DateTimeOffset _earliestExpiry = DateTimeOffset.MaxValue;

    public ReservationBook(decimal limit, decimal settled = 0m, int rememberedCompletions = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        ArgumentOutOfRangeException.ThrowIfNegative(settled);
        ArgumentOutOfRangeException.ThrowIfLessThan(rememberedCompletions, 1);
        Limit = limit;
        Settled = settled;
        _completed = new CompletionLog(rememberedCompletions);
    }

    public decimal Limit { get; private set; }

    public decimal Settled { get; private set; }

    public decimal OpenTotal => _openTotal;

    public int OpenCount => _open.Count;

    public decimal Remaining => Math.Max(0m, Limit - Settled - _openTotal);

    /// <summary>Settled spend beyond the limit (late or underestimated settles); zero in normal operation.</summary>
    public decimal Overspend => Math.Max(0m, Settled - Limit);

    /// <summary>Holds <paramref name="amount"/> until <paramref name="expiresAt"/> if it fits; all or nothing.</summary>
    public ReservationResult Reserve(string id, decimal amount, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        return Reserve(ReservationKey.Of(id), amount, now, expiresAt);
    }

    private ReservationResult Reserve(in ReservationKey id, decimal amount, DateTimeOffset now, DateTimeOffset expiresAt)
    {
        if (_completed.TryGet(id, out var earlier))
        {
            if (earlier.Outcome != ReservationOutcome.Released)
            {
                return earlier.Repeated(Remaining);
            }

            // Released, then reserved again (a caller that gave up on a lost answer and retried): a fresh reservation.
            _completed.Forget(id);
        }

        ExpireReservations(now);
        if (_open.TryGetValue(id, out var open))
        {
            return new ReservationResult(ReservationOutcome.Reserved, open.Amount, Remaining, Repeated: true);
        }

        if (amount > Limit - Settled - _openTotal)
        {
            // A refusal is not remembered: the same id may be retried once headroom frees up.
            return new ReservationResult(ReservationOutcome.Refused, amount, Remaining, Repeated: false);
        }

        _open.Add(id, new OpenReservation(amount, expiresAt));
        _openTotal += amount;
        if (expiresAt < _earliestExpiry)
        {
            _earliestExpiry = expiresAt;
        }

        return new ReservationResult(ReservationOutcome.Reserved, amount, Remaining, Repeated: false);
    }

    /// <summary>Charges the actual amount, releasing the reservation if it is still open. Charges even without one.</summary>
    public ReservationResult Settle(string id, decimal actual) => SettleCore(ReservationKey.Of(id), actual, charge: true);

    /// <summary>True when the id is an open reservation here or a completion this book still remembers.</summary>
    public bool Knows(string id)
    {
        var key = ReservationKey.Of(id);
        return _open.ContainsKey(key) || _completed.Contains(key);
    }

    /// <summary>
    /// Completes a settle whose amount is already part of <see cref="Settled"/> (it was in the ledger total this book
    /// started from): remembered for repeats, charged nothing more.
    /// </summary>
    public ReservationResult SettleAlreadyCounted(string id, decimal actual) => SettleCore(ReservationKey.Of(id), actual, charge: false);

    /// <summary>Returns a reservation's amount unspent. Releasing an unknown or expired id is a no-op that is remembered.</summary>
    public ReservationResult Release(string id)
    {
        var key = ReservationKey.Of(id);
        if (_completed.TryGet(key, out var earlier))
        {
            return earlier.Repeated(Remaining);
        }

        var amount = 0m;
        if (_open.Remove(key, out var open))
        {
            _openTotal -= open.Amount;
            amount = open.Amount;
        }

        return Complete(key, new ReservationResult(ReservationOutcome.Released, amount, Remaining, Repeated: false));
    }

    /// <summary>Frees reservations whose holder never came back (crashed gateway, lost settle).</summary>
    public int ExpireReservations(DateTimeOffset now)
    {
        if (_open.Count == 0 || now < _earliestExpiry)
        {
            return 0;
        }

        List<ReservationKey>? expired = null;
        var earliest = DateTimeOffset.MaxValue;
        foreach (var (id, reservation) in _open)
        {
            if (reservation.ExpiresAt <= now)
            {
                (expired ??= []).Add(id);
            }
            else if (reservation.ExpiresAt < earliest)
            {
                earliest = reservation.ExpiresAt;
            }
        }

        _earliestExpiry = earliest;

        if (expired is null)
        {
            return 0;
        }

        foreach (var id in expired)
        {
            _open.Remove(id, out var reservation);
            _openTotal -= reservation.Amount;
        }

        return expired.Count;
    }

    /// <summary>A new period starts: settled spend restarts from what the ledger says; open reservations carry over.</summary>
    public void StartPeriod(decimal settled)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(settled);
        Settled = settled;
    }

    /// <summary>An administrator changed the limit. Open reservations stay held even if they no longer fit.</summary>
    public void ChangeLimit(decimal limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        Limit = limit;
    }

    private ReservationResult SettleCore(in ReservationKey id, decimal actual, bool charge)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(actual);
        if (_completed.TryGet(id, out var earlier) && earlier.Outcome == ReservationOutcome.Settled)
        {
            return earlier.Repeated(Remaining);
        }

        // A settle after a release still charges: the release was a guess that the call never ran, the settle is a fact.
        if (_open.Remove(id, out var open))
        {
            _openTotal -= open.Amount;
        }

        if (charge)
        {
            Settled += actual;
        }

        return Complete(id, new ReservationResult(ReservationOutcome.Settled, actual, Remaining, Repeated: false));
    }

    private ReservationResult Complete(in ReservationKey id, ReservationResult result)
    {
        _completed.Remember(id, new Completion(result.Outcome, result.Amount));
        return result;
    }

    private readonly record struct OpenReservation(decimal Amount, DateTimeOffset ExpiresAt);
}
