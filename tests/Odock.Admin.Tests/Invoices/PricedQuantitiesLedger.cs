namespace Odock.Admin.Tests.Invoices;

/// <summary>
/// November rows for <see cref="InvoiceWorld"/>'s organisation that carry the quantities migrations 0008 and 0011 added:
/// one-hour cache writes, images priced by size and quality, generated audio, characters spoken and hosted tool calls,
/// with the sums beside them.
/// </summary>
internal static class PricedQuantitiesLedger
{
    public const decimal ClaudeSonnet = 0.0345m + 0.0175m;
    public const decimal Image = 0.501m + 0.084m;
    public const decimal Speech = 0.0375m + 0.005m;
    public const decimal Total = ClaudeSonnet + Image + Speech; // 0.6795

    public static IReadOnlyList<LedgerRow> Rows(InvoiceWorld world)
    {
        var november = InvoiceWorld.November;
        LedgerRow Row(int day, decimal cost) => new() { OccurredAt = november.AddDays(day), OrganisationId = world.Acme.Id, TeamId = world.Support.Id, Cost = cost };
        return
        [
            Row(2, 0.0345m) with { ModelName = "claude-sonnet", InputTokens = 10_000, CacheWriteTokens = 3_000, CacheWriteOneHourTokens = 1_000, OutputTokens = 0, HostedToolCalls = 2 },
            Row(3, 0.0175m) with { ModelName = "claude-sonnet", InputTokens = 4_000, CacheWriteTokens = 1_500, CacheWriteOneHourTokens = 1_500, OutputTokens = 500, HostedToolCalls = 1 },
            Row(4, 0.501m) with { ModelName = "image-1", Images = 3, ImageSize = "1024x1024", ImageQuality = "high" },
            Row(5, 0.084m) with { ModelName = "image-1", Images = 2, ImageSize = "1024x1024", ImageQuality = "medium" },
            Row(6, 0.0375m) with { ModelName = "tts-1", Characters = 2_500, AudioOutputSeconds = 2.5m },
            Row(7, 0.005m) with { ModelName = "tts-1", Characters = 300, AudioOutputSeconds = 10.0625m },
        ];
    }
}
