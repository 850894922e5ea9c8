namespace Odock.Admin.Configuration.Document;

public sealed class OrganisationEntry
{
    public string Name { get; set; } = string.Empty;

    public string? DisplayName { get; set; }

    public List<TeamEntry> Teams { get; set; } = [];

    public List<UserEntry> Users { get; set; } = [];

    public List<ProviderEntry> Providers { get; set; } = [];

    public List<ModelEntry> Models { get; set; } = [];

    public List<McpServerEntry> McpServers { get; set; } = [];

    public List<ApiKeyEntry> ApiKeys { get; set; } = [];

    public List<BudgetEntry> Budgets { get; set; } = [];

    public List<QuotaEntry> Quotas { get; set; } = [];
}
