namespace Odock.Admin.Tests.Invoices;

/// <summary>
/// A month of ledger rows for <see cref="InvoiceWorld"/>'s organisation, with rows on both edges of November and in
/// another organisation, and the sums worked out by hand beside them.
/// </summary>
internal static class NovemberLedger
{
    public const decimal SupportFast = 0.0012345678m + 0.0031m + 0.0000001m;
    public const decimal SupportSmart = 0.045m;
    public const decimal McpAdd = 0.0005m + 0.0005m;
    public const decimal McpEcho = 0.001m;
    public const decimal Other = 0.002m;
    public const decimal UsdTotal = SupportFast + SupportSmart + McpAdd + McpEcho + Other; // 0.0533346678
    public const decimal EurTotal = 0.334m;
    public const decimal SupportTeamUsd = SupportFast + McpAdd + Other; // 0.0073346678

    public static IReadOnlyList<LedgerRow> Rows(InvoiceWorld world, Guid otherOrganisation)
    {
        var november = InvoiceWorld.November;
        var acme = world.Acme.Id;
        LedgerRow Support(DateTimeOffset at, decimal cost) => new() { OccurredAt = at, OrganisationId = acme, TeamId = world.Support.Id, UserId = world.Dana.Id, Cost = cost };
        LedgerRow Research(DateTimeOffset at, decimal cost) => new() { OccurredAt = at, OrganisationId = acme, TeamId = world.Research.Id, UserId = world.Eli.Id, Cost = cost };
        return
        [
            Support(november, 0.0012345678m) with { ModelName = "support-fast", InputTokens = 1_000, CachedInputTokens = 200, OutputTokens = 500 },
            Support(november.AddDays(14), 0.0031m) with { ModelName = "support-fast", InputTokens = 3_000, OutputTokens = 1_000 },
            Support(InvoiceWorld.December.AddTicks(-10), 0.0000001m) with { ModelName = "support-fast", InputTokens = 7, OutputTokens = 3 },
            Research(november.AddDays(19), 0.045m) with { ModelName = "support-smart", InputTokens = 10_000, OutputTokens = 2_000, ReasoningTokens = 1_500 },
            Research(november.AddDays(20), 0.334m) with { ModelName = "image-1", Images = 2, Currency = "EUR" },
            Support(november.AddDays(21), 0.0005m) with { McpServerId = world.Everything.Id, ToolName = "add" },
            Support(november.AddDays(22), 0.0005m) with { McpServerId = world.Everything.Id, ToolName = "add" },
            Research(november.AddDays(23), 0.001m) with { McpServerId = world.Everything.Id, ToolName = "echo" },
            Support(november.AddDays(24), 0m) with { HttpStatus = 404 },
            Support(november.AddDays(25), 0.002m),
            Support(InvoiceWorld.December, 1m) with { ModelName = "support-fast", InputTokens = 1 },
            Support(november.AddSeconds(-1), 2m) with { ModelName = "support-fast", InputTokens = 1 },
            new() { OccurredAt = november.AddDays(3), OrganisationId = otherOrganisation, ModelName = "support-fast", Cost = 5m },
        ];
    }
}
