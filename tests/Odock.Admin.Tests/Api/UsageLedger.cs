using Odock.Domain.Models;
using Odock.Domain.Usage;
using Odock.Storage.Store;

namespace Odock.Admin.Tests.Api;

/// <summary>
/// Forty ledger rows over three November days for <see cref="AdminWorld"/>: support team rows of the manager and of
/// dana, research rows of acme's admin, ops rows of globex; two models and providers, some 429s, some in EUR.
/// </summary>
internal static class UsageLedger
{
    public static readonly DateTimeOffset Start = new(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset End = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    public static readonly Guid[] Models = [Guid.Parse("e0000000-0000-0000-0000-000000000001"), Guid.Parse("e0000000-0000-0000-0000-000000000002")];
    public static readonly Guid[] Providers = [Guid.Parse("f0000000-0000-0000-0000-000000000001"), Guid.Parse("f0000000-0000-0000-0000-000000000002")];

    public static async Task<IReadOnlyList<UsageRecord>> SeedAsync(IOdockStore store, AdminWorld world)
    {
        var records = Create(world);
        await using var session = await store.OpenAsync();
        await session.Usage.AppendAsync(records);
        return records;
    }

    private static UsageRecord[] Create(AdminWorld w)
    {
        var owners = new (Guid Organisation, Guid Team, Guid User)[]
        {
            (w.Acme.Id, w.Support.Id, w.Manager.Id), (w.Acme.Id, w.Support.Id, w.Dana.Id), (w.Acme.Id, w.Research.Id, w.AcmeAdmin.Id), (w.Globex.Id, w.Ops.Id, w.GlobexAdmin.Id),
        };
        var keys = owners.Select(_ => Guid.NewGuid()).ToArray();
        return Enumerable.Range(0, 40).Select(i =>
        {
            var owner = owners[i % 4];
            var status = i % 5 == 4 ? 429 : 200;
            return new UsageRecord
            {
                Id = Guid.NewGuid(), RequestId = $"req_{i:D3}", OccurredAt = Start.AddMinutes(97 * i), Kind = UsageKind.Model,
                OrganisationId = owner.Organisation, TeamId = owner.Team, UserId = owner.User, ApiKeyId = keys[i % 4], Endpoint = "openai.chat_completions",
                RequestedModel = i % 2 == 0 ? "support-fast" : "support-smart", ModelId = Models[i % 2], ModelName = i % 2 == 0 ? "support-fast" : "support-smart",
                ProviderId = Providers[(i / 2) % 2], HttpStatus = status, ErrorCode = status == 200 ? null : "rate_limit_exceeded", LatencyMs = 100 + i,
                Tokens = status == 200 ? new TokenUsage { InputTokens = 1000 + i, OutputTokens = 200 + i } : default,
                Cost = status == 200 ? (0.0001m * (i + 1)) + 0.002m : 0m, Currency = i % 7 == 0 ? "EUR" : "USD",
            };
        }).ToArray();
    }
}
