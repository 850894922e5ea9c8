using Odock.Domain.Mcp;

namespace Odock.Storage.Repositories;

public interface IMcpServerRepository : IRepository<McpServer>
{
    Task<McpServer?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<McpServer>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default);
}
