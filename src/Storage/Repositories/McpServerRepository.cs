using Odock.Domain.Common;
using Odock.Domain.Mcp;
using Odock.Domain.Policies;
using Odock.Storage.Sql;

namespace Odock.Storage.Repositories;

internal sealed class McpServerRepository(SqlSession session)
    : CrudRepository<McpServer, McpServerRepository.Row>(session, RowMap, "mcp_server"), IMcpServerRepository
{
    private static readonly TableMap<Row> RowMap = new("mcp_servers");

    public Task<McpServer?> FindByNameAsync(Guid organisationId, string name, CancellationToken cancellationToken = default) =>
        FirstAsync("WHERE organisation_id = @OrganisationId AND name = @Name", new { OrganisationId = organisationId, Name = name }, cancellationToken);

    public Task<IReadOnlyList<McpServer>> ListAsync(Guid organisationId, CancellationToken cancellationToken = default) =>
        ManyAsync("WHERE organisation_id = @OrganisationId ORDER BY name", new { OrganisationId = organisationId }, cancellationToken);

    protected override Guid IdOf(McpServer entity) => entity.Id;

    protected override Row ToRow(McpServer entity) => new()
    {
        Id = entity.Id,
        OrganisationId = entity.OrganisationId,
        Name = entity.Name,
        Transport = WireName.Of(entity.Transport),
        Url = entity.Url,
        Command = entity.Command,
        Arguments = StorageJson.WriteList(entity.Arguments),
        TeamId = entity.TeamId,
        ApiKeyId = entity.ApiKeyId,
        AllowedTools = StorageJson.WriteList(entity.AllowedTools),
        BlockedTools = StorageJson.WriteList(entity.BlockedTools),
        Pricing = StorageJson.Write(entity.Pricing),
        RateLimit = StorageJson.Write(entity.RateLimit),
        Metadata = StorageJson.WriteMap(entity.Metadata),
        Enabled = entity.Enabled,
        CreatedAt = entity.CreatedAt,
    };

    protected override McpServer ToEntity(Row row) => new()
    {
        Id = row.Id,
        OrganisationId = row.OrganisationId,
        Name = row.Name,
        Transport = WireName.Parse<McpTransport>(row.Transport),
        Url = row.Url,
        Command = row.Command,
        Arguments = StorageJson.ReadList(row.Arguments),
        TeamId = row.TeamId,
        ApiKeyId = row.ApiKeyId,
        AllowedTools = StorageJson.ReadList(row.AllowedTools),
        BlockedTools = StorageJson.ReadList(row.BlockedTools),
        Pricing = StorageJson.Read<McpPricing>(row.Pricing),
        RateLimit = StorageJson.Read<ResourcePolicy>(row.RateLimit),
        Metadata = StorageJson.ReadMap(row.Metadata),
        Enabled = row.Enabled,
        CreatedAt = row.CreatedAt,
    };

    internal sealed class Row
    {
        public Guid Id { get; set; }
        public Guid OrganisationId { get; set; }
        public string Name { get; set; } = "";
        public string Transport { get; set; } = "";
        public string? Url { get; set; }
        public string? Command { get; set; }
        public string Arguments { get; set; } = "[]";
        public Guid? TeamId { get; set; }
        public Guid? ApiKeyId { get; set; }
        public string AllowedTools { get; set; } = "[]";
        public string BlockedTools { get; set; } = "[]";
        public string Pricing { get; set; } = "{}";
        public string RateLimit { get; set; } = "{}";
        public string Metadata { get; set; } = "{}";
        public bool Enabled { get; set; }
        public DateTimeOffset CreatedAt { get; set; }
    }
}
