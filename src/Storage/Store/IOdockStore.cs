namespace Odock.Storage.Store;

/// <summary>The durable store. Open a session for reads and single writes; begin one for writes that must land together.</summary>
public interface IOdockStore
{
    /// <summary>A session whose writes commit one statement at a time.</summary>
    Task<IStoreSession> OpenAsync(CancellationToken cancellationToken = default);

    /// <summary>A session inside one transaction: nothing is visible to others until <see cref="IStoreSession.CommitAsync"/>, and disposing without committing rolls everything back.</summary>
    Task<IStoreSession> BeginTransactionAsync(CancellationToken cancellationToken = default);
}
