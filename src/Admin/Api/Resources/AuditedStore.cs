using Odock.Admin.Api.Audit;
using Odock.Admin.Api.Auth;
using Odock.Storage.Store;

namespace Odock.Admin.Api.Resources;

/// <summary>
/// The store as the organisation's resource services use it: sessions for reads, transactions for changes, and a
/// commit that always writes the change's audit entry in the same transaction first.
/// </summary>
internal sealed class AuditedStore
{
    private readonly IOdockStore _store;
    private readonly TimeProvider _time;
    private readonly AuditTrail _audit;

    public AuditedStore(IOdockStore store, TimeProvider time, AuditTrail audit)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(audit);
        _store = store;
        _time = time;
        _audit = audit;
    }

    public DateTimeOffset Now => _time.GetUtcNow();

    public Task<IStoreSession> ReadAsync(AdminCall call) => _store.OpenAsync(call.Cancellation);

    /// <summary>Runs one read in its own session, closed when the read is done.</summary>
    public async Task<T> ReadAsync<T>(AdminCall call, Func<IStoreSession, Task<T>> read)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(read);
        await using var session = await _store.OpenAsync(call.Cancellation).ConfigureAwait(false);
        return await read(session).ConfigureAwait(false);
    }

    public Task<IStoreSession> ChangeAsync(AdminCall call) => _store.BeginTransactionAsync(call.Cancellation);

    public async Task CommitAsync(IStoreSession session, AdminCall call, Guid organisationId, string action, string targetType, Guid targetId, object? before, object? after)
    {
        await _audit.RecordAsync(session, call, organisationId, action, targetType, targetId, before, after).ConfigureAwait(false);
        await session.CommitAsync(call.Cancellation).ConfigureAwait(false);
    }
}
