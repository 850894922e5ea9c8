using System.Data.Common;

namespace Odock.Storage.Connections;

/// <summary>Opens connections to the configured engine. Every repository goes through one of these.</summary>
public interface IDbConnectionFactory
{
    StorageEngine Engine { get; }

    /// <summary>Opens a new connection (pooled where the driver pools). The caller disposes it.</summary>
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default);
}
