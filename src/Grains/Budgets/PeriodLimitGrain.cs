using Odock.Cluster;
using Odock.Domain.Periods;
using Odock.Storage.Repositories;
using Odock.Storage.Store;

namespace Odock.Grains.Budgets;

/// <summary>
/// The reserve/settle/release core shared by budgets and quotas. On activation the settled figure of the current
/// period is recomputed from the usage ledger (the source of truth), so a crash loses no spend; the instant of that
/// sum is kept as a watermark so that a settle for a request this activation never saw is charged only if its
/// ledger row was not already part of the sum. Open reservations live in memory only: a silo crash forgets them,
/// which is the bound on overspend after a crash (docs/GOVERNANCE.md).
/// </summary>
internal abstract class PeriodLimitGrain(IOdockStore store, TimeProvider time) : Grain, IReservationGrain
{
    private LimitDefinition? _definition;
    private ReservationBook _book = new(0m);
    private PeriodWindow _window;
    private string? _watermark;
    private string? _label;

    protected abstract string Kind { get; }

    public override Task OnActivateAsync(CancellationToken cancellationToken) => LoadAsync(recompute: true, cancellationToken);

    public ValueTask<ReservationReply> Reserve(string reservationId, decimal amount, int ttlSeconds)
    {
        ArgumentException.ThrowIfNullOrEmpty(reservationId);
        ArgumentOutOfRangeException.ThrowIfNegative(amount);
        var now = time.GetUtcNow();
        if (_definition is not { Enabled: true })
        {
            return new(NotEnforced(ReservationOutcome.Reserved));
        }

        Roll(now);
        var lifetime = TimeSpan.FromSeconds(Math.Clamp(ttlSeconds, 1, 24 * 3600));
        var result = _book.Reserve(reservationId, amount, now, now + lifetime);
        var retryAfter = result.Outcome == ReservationOutcome.Refused && _window.End is { } end ? (long)Math.Ceiling((end - now).TotalMilliseconds) : 0;
        return new(Reply(result, retryAfter));
    }

    public ValueTask<ReservationReply> Settle(string reservationId, decimal actual)
    {
        ArgumentException.ThrowIfNullOrEmpty(reservationId);
        ArgumentOutOfRangeException.ThrowIfNegative(actual);
        if (_definition is not { Enabled: true })
        {
            return new(NotEnforced(ReservationOutcome.Settled));
        }

        Roll(time.GetUtcNow());
        return !_book.Knows(reservationId) && _watermark is not null
            ? new(SettleUnseenAsync(reservationId, actual))
            : new(Reply(_book.Settle(reservationId, actual), 0));
    }

    public ValueTask<ReservationReply> Release(string reservationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(reservationId);
        return new(_definition is not { Enabled: true } ? NotEnforced(ReservationOutcome.Released) : Reply(_book.Release(reservationId), 0));
    }

    public Task<LimitStatus> Status()
    {
        Roll(time.GetUtcNow());
        _book.ExpireReservations(time.GetUtcNow());
        return Task.FromResult(new LimitStatus(
            _definition?.Name ?? Key, _definition is { Enabled: true }, _book.Limit, _book.Settled, _book.OpenTotal, _book.OpenCount, _book.Overspend,
            _window.Key ?? "", _window.Start, _window.End));
    }

    public Task Refresh() => LoadAsync(recompute: false, CancellationToken.None);

    /// <summary>Reads the definition; null when it no longer exists.</summary>
    protected abstract Task<LimitDefinition?> LoadDefinitionAsync(IStoreSession session, Guid id, CancellationToken cancellationToken);

    /// <summary>The settled figure of a ledger total in this limit's unit.</summary>
    protected abstract decimal Settled(LedgerTotal total);

    private async Task LoadAsync(bool recompute, CancellationToken cancellationToken)
    {
        await using var session = await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        var definition = Guid.TryParse(Key, out var id) ? await LoadDefinitionAsync(session, id, cancellationToken).ConfigureAwait(false) : null;
        var previous = _definition;
        _definition = definition;
        _label = definition is null ? null : $"{Kind}:{definition.Name}";
        if (definition is null)
        {
            return;
        }

        var sameCounting = previous is not null && previous.Scope == definition.Scope && previous.TargetId == definition.TargetId && previous.Period == definition.Period;
        if (!recompute && sameCounting)
        {
            _book.ChangeLimit(definition.Limit);
            return;
        }

        _window = definition.Period.WindowAt(time.GetUtcNow());
        var total = await session.Usage.TotalAsync(definition.Scope, definition.TargetId, _window.Start, _window.End, cancellationToken).ConfigureAwait(false);
        _watermark = total.Watermark;
        _book = new ReservationBook(definition.Limit, Settled(total));
    }

    /// <summary>A settle for a request this activation never saw: charged unless its ledger row is already in the settled sum.</summary>
    private async Task<ReservationReply> SettleUnseenAsync(string reservationId, decimal actual) =>
        await IsInLedgerTotalAsync(reservationId).ConfigureAwait(false)
            ? Reply(_book.SettleAlreadyCounted(reservationId, actual), 0)
            : Reply(_book.Settle(reservationId, actual), 0);

    private async Task<bool> IsInLedgerTotalAsync(string reservationId)
    {
        await using var session = await store.OpenAsync().ConfigureAwait(false);
        return await session.Usage.IsCountedAsync(reservationId, _watermark!).ConfigureAwait(false);
    }

    /// <summary>A new period began: the settled figure restarts at zero; reservations still open carry over.</summary>
    private void Roll(DateTimeOffset now)
    {
        if (_definition is not null && _window.End is { } end && now >= end)
        {
            _window = _definition.Period.WindowAt(now);
            _book.StartPeriod(0m);
        }
    }

    private ReservationReply Reply(ReservationResult result, long retryAfterMs) =>
        new(result.Outcome, result.Amount, result.Remaining, result.Repeated, Enforced: true, _label!, retryAfterMs);

    private ReservationReply NotEnforced(ReservationOutcome outcome) =>
        new(outcome, 0m, 0m, Repeated: false, Enforced: false, _label ?? $"{Kind}:{Key}", 0);
}
