using Odock.Cluster;

namespace Odock.Grains.Budgets;

/// <summary>
/// A limit per period that is reserved before a call and settled after it: money for budgets, units for quotas.
/// Every operation is idempotent by reservation id (the request id), so retries after timeouts and failovers never
/// charge twice. The grain key is the budget's or quota's id.
/// </summary>
/// <remarks>
/// Reserve, settle and release answer from memory (a settle for a request this activation never saw may read the
/// ledger): they return <see cref="ValueTask{TResult}"/>, so an in-process call that answers at once allocates no task.
/// </remarks>
public interface IReservationGrain : IGrainWithStringKey
{
    /// <summary>Holds <paramref name="amount"/> for <paramref name="ttlSeconds"/> if it fits in what is left of the period.</summary>
    ValueTask<ReservationReply> Reserve(string reservationId, decimal amount, int ttlSeconds);

    /// <summary>Charges the actual amount and frees the reservation; charges even when the reservation expired.</summary>
    ValueTask<ReservationReply> Settle(string reservationId, decimal actual);

    /// <summary>Frees a reservation unspent (the call never happened).</summary>
    ValueTask<ReservationReply> Release(string reservationId);

    Task<LimitStatus> Status();

    /// <summary>Reloads the definition: a new amount applies at once; a new period or scope recomputes from the ledger.</summary>
    Task Refresh();
}
