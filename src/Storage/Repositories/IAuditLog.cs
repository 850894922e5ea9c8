using Odock.Domain.Audit;

namespace Odock.Storage.Repositories;

/// <summary>Append-only record of administrative changes.</summary>
public interface IAuditLog
{
    Task AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Newest first; all organisations when <paramref name="organisationId"/> is null.</summary>
    /// <summary>One filtered page, newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListPageAsync(AuditQuery query, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<AuditEntry>> ListAsync(Guid? organisationId, int limit = 100, CancellationToken cancellationToken = default);
}
