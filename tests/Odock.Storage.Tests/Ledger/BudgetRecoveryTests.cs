using Microsoft.Extensions.Logging.Abstractions;
using Odock.Domain.Budgets;
using Odock.Domain.Usage;
using Odock.Storage.Connections;
using Odock.Storage.Ledger;
using Odock.Storage.Migrations;
using Odock.Storage.Repositories;
using Odock.Storage.Store;
using Odock.Storage.Tests.Reporting;
using Odock.Testing;

namespace Odock.Storage.Tests.Ledger;

/// <summary>
/// Budget and quota grains recompute their period from the ledger when they activate (docs/GOVERNANCE.md). Rows the
/// bulk writer puts there must sum exactly as single inserts did, and the watermark must still tell a row that was
/// part of a total from one written after it.
/// </summary>
public sealed class BudgetRecoveryTests : IDisposable
{
    private readonly string _spoolDirectory = Path.Combine(Path.GetTempPath(), "odock-ledger-" + Guid.NewGuid().ToString("N"));

    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task Totals_over_bulk_written_rows_are_exact_at_every_scope_and_the_watermark_separates_later_rows(StorageEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(database.Connections).ApplyAsync();
        await using var writer = new LedgerWriter(database.Connections, new LedgerOptions { BatchSize = 64, SpoolDirectory = _spoolDirectory }, TimeProvider.System, NullLogger<LedgerWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        var records = UsageSample.Create();
        foreach (var record in records)
        {
            await writer.AppendAsync(record);
        }

        await IdleAsync(writer);
        var store = new OdockStore(database.Connections);
        var from = UsageSample.Day1.AddHours(2);
        var to = UsageSample.Day1.AddDays(2);
        var scopes = new (LimitScope Scope, Guid Id, Func<UsageRecord, bool> Owns)[]
        {
            (LimitScope.Organisation, UsageSample.Acme, r => r.OrganisationId == UsageSample.Acme),
            (LimitScope.Team, UsageSample.Teams[0], r => r.TeamId == UsageSample.Teams[0]),
            (LimitScope.User, UsageSample.Users[2], r => r.UserId == UsageSample.Users[2]),
            (LimitScope.ApiKey, UsageSample.Keys[1], r => r.ApiKeyId == UsageSample.Keys[1]),
        };

        LedgerTotal? orgTotal = null;
        foreach (var (scope, id, owns) in scopes)
        {
            await using var session = await store.OpenAsync();
            var total = await session.Usage.TotalAsync(scope, id, from, to);

            var rows = records.Where(r => owns(r) && r.OccurredAt >= from && r.OccurredAt < to).ToArray();
            var served = rows.Where(r => r.HttpStatus < 400).ToArray();
            Assert.Equal(served.Length, total.ServedRequests);
            Assert.Equal(served.Sum(r => r.Tokens.InputTokens + r.Tokens.OutputTokens), total.Tokens);
            Assert.Equal(rows.Sum(r => r.Currency == "USD" ? r.Cost : 0m), total.CostIn("USD"));
            Assert.Equal(rows.Sum(r => r.Currency == "EUR" ? r.Cost : 0m), total.CostIn("EUR"));
            orgTotal ??= total;
        }

        // A settle that arrives later asks whether its row was in the sum: yes for one written before, no for one after.
        await Task.Delay(TimeSpan.FromMilliseconds(5));
        var late = records[10] with { Id = Guid.NewGuid(), RequestId = "req_late" };
        await writer.AppendAsync(late);
        await IdleAsync(writer);
        await using (var session = await store.OpenAsync())
        {
            Assert.True(await session.Usage.IsCountedAsync(records[10].RequestId, orgTotal!.Watermark));
            Assert.False(await session.Usage.IsCountedAsync(late.RequestId, orgTotal.Watermark));
            var after = await session.Usage.TotalAsync(LimitScope.Organisation, UsageSample.Acme, from, to);
            Assert.Equal(orgTotal.CostIn("USD") + late.Cost, after.CostIn("USD"));
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_spoolDirectory))
        {
            Directory.Delete(_spoolDirectory, recursive: true);
        }
    }

    private static async Task IdleAsync(LedgerWriter writer)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await writer.WaitUntilIdleAsync(patience.Token);
    }
}
