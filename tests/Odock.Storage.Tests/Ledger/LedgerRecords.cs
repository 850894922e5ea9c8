using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Storage.Repositories;

namespace Odock.Storage.Tests.Ledger;

/// <summary>Usage records numbered by a sequence, so a test can tell exactly which ones reached the ledger and in what order.</summary>
internal static class LedgerRecords
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly Guid Organisation = Guid.Parse("0b1e1d9a-41c5-4a55-8a8e-58a0f3a43c01");

    public static UsageRecord Numbered(int sequence) => new()
    {
        Id = Guid.NewGuid(),
        RequestId = RequestId(sequence),
        OccurredAt = Start.AddSeconds(sequence),
        Kind = UsageKind.Model,
        OrganisationId = Organisation,
        ApiKeyId = Guid.Parse("5c7b2f0e-8f7a-4a8e-9d0e-1f2a3b4c5d6e"),
        Endpoint = "openai.chat_completions",
        RequestedModel = "support-fast",
        ModelName = "support-fast",
        UpstreamSlug = "gpt-4.1-mini",
        HttpStatus = 200,
        LatencyMs = 120,
        TimeToFirstTokenMs = 40,
        Tokens = new TokenUsage { InputTokens = 100 + sequence, OutputTokens = 20 },
        Cost = 0.0001m,
        Currency = "USD",
        ProviderUsageJson = """{"prompt_tokens":100}""",
    };

    /// <summary>A record using every quantity migration 0008 added, varied by the sequence.</summary>
    public static UsageRecord WithPricedQuantities(int sequence) => Numbered(sequence) with
    {
        Tokens = Numbered(sequence).Tokens with
        {
            CacheWriteTokens = 300 + sequence,
            CacheWriteOneHourTokens = 120 + sequence,
            Images = 3,
            ImageSize = "1024x1024",
            ImageQuality = sequence % 2 == 0 ? "high" : "standard",
            AudioSeconds = 4.5m,
            AudioOutputSeconds = 12.375m + sequence,
            Characters = 2_500 + sequence,
        },
    };

    /// <summary>A record with every priced quantity and hosted tool calls of two tools (migration 0011), varied by the sequence.</summary>
    public static UsageRecord WithHostedToolCalls(int sequence) => WithPricedQuantities(sequence) with
    {
        Tokens = WithPricedQuantities(sequence).Tokens with
        {
            HostedToolCalls = HostedToolCalls.Of([new("web_search", 2 + sequence), new("code_interpreter", 1)]),
        },
    };

    /// <summary>
    /// <paramref name="record"/> as the ledger reads it back: its hosted tool calls as one total, not split by tool.
    /// </summary>
    public static UsageRecord AsStored(UsageRecord record) => record with
    {
        Tokens = record.Tokens with { HostedToolCalls = HostedToolCalls.Of(UsageRepository.AllHostedTools, record.Tokens.HostedToolCalls?.Total ?? 0) },
    };

    public static string RequestId(int sequence) => $"req_{sequence:D8}";

    public static int SequenceOf(string requestId) => int.Parse(requestId.AsSpan(4), System.Globalization.CultureInfo.InvariantCulture);
}
