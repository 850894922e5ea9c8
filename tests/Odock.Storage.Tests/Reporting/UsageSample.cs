using Odock.Domain.Models;
using Odock.Domain.Usage;

namespace Odock.Storage.Tests.Reporting;

/// <summary>
/// A small ledger with every dimension varying: two organisations, two teams, users, keys, models and providers,
/// three statuses, two currencies, rows spread over three days (some sharing an instant, to test paging ties).
/// </summary>
internal static class UsageSample
{
    public static readonly DateTimeOffset Day1 = new(2026, 10, 5, 0, 0, 0, TimeSpan.Zero);
    public static readonly Guid Acme = Guid.Parse("a0000000-0000-0000-0000-000000000001");
    public static readonly Guid Globex = Guid.Parse("a0000000-0000-0000-0000-000000000002");
    public static readonly Guid[] Teams = [Guid.Parse("b0000000-0000-0000-0000-000000000001"), Guid.Parse("b0000000-0000-0000-0000-000000000002")];
    public static readonly Guid[] Users = [Guid.Parse("c0000000-0000-0000-0000-000000000001"), Guid.Parse("c0000000-0000-0000-0000-000000000002"), Guid.Parse("c0000000-0000-0000-0000-000000000003")];
    public static readonly Guid[] Keys = [Guid.Parse("d0000000-0000-0000-0000-000000000001"), Guid.Parse("d0000000-0000-0000-0000-000000000002")];
    public static readonly Guid[] Models = [Guid.Parse("e0000000-0000-0000-0000-000000000001"), Guid.Parse("e0000000-0000-0000-0000-000000000002")];
    public static readonly Guid[] Providers = [Guid.Parse("f0000000-0000-0000-0000-000000000001"), Guid.Parse("f0000000-0000-0000-0000-000000000002")];

    public static IReadOnlyList<UsageRecord> Create()
    {
        var records = new List<UsageRecord>();
        for (var i = 0; i < 240; i++)
        {
            var status = (i % 10) switch { 3 => 429, 7 => 502, _ => 200 };
            records.Add(new UsageRecord
            {
                Id = Guid.NewGuid(),
                RequestId = $"req_{i:D4}",
                // Every fifth row shares its instant with the one before, so paging must break ties by id.
                OccurredAt = Day1.AddMinutes(17 * (i - (i % 5 == 4 ? 1 : 0))),
                Kind = UsageKind.Model,
                OrganisationId = i % 6 == 5 ? Globex : Acme,
                TeamId = i % 4 == 3 ? null : Teams[i % 2],
                UserId = Users[i % 3],
                ApiKeyId = Keys[i % 2],
                Endpoint = i % 3 == 0 ? "anthropic.messages" : "openai.chat_completions",
                RequestedModel = i == 14 ? "odd, \"quoted\" name" : "support-fast",
                ModelId = Models[(i / 2) % 2],
                ModelName = "support-fast",
                ProviderId = Providers[(i / 3) % 2],
                HttpStatus = status,
                ErrorCode = status == 200 ? null : status == 429 ? "rate_limit_exceeded" : "upstream_error",
                ErrorClass = UsageErrorClassifier.Classify(status, status == 200 ? null : status == 429 ? "rate_limit_exceeded" : "upstream_error"),
                LatencyMs = 100 + i,
                Tokens = status == 200
                    ? new TokenUsage
                    {
                        InputTokens = 1000 + i, CachedInputTokens = i % 5, CacheWriteTokens = i % 2, CacheWriteOneHourTokens = i % 6 == 1 ? 1 : 0,
                        OutputTokens = 200 + i, ReasoningTokens = i % 7, Images = i % 4, ImageSize = i % 4 == 0 ? null : "1024x1024",
                        ImageQuality = i % 4 == 0 ? null : i % 2 == 1 ? "hd" : "standard", AudioSeconds = 0.5m * (i % 3),
                        AudioOutputSeconds = 0.25m * (i % 5), Characters = 10 * i,
                        HostedToolCalls = HostedToolCalls.Of([new("web_search", i % 3), new("file_search", i % 2)]),
                    }
                    : default,
                Cost = status == 200 ? 0.0000001m * (i + 1) + 0.0015m : 0m,
                Currency = i % 8 == 0 ? "EUR" : "USD",
            });
        }

        return records;
    }
}
