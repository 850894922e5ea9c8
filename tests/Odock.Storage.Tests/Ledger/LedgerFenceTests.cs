using System.Data.Common;
using Odock.Domain.Budgets;
using Odock.Storage.Connections;
using Odock.Storage.Ledger;
using Odock.Storage.Migrations;
using Odock.Storage.Store;
using Odock.Testing;

namespace Odock.Storage.Tests.Ledger;

/// <summary>
/// A budget's recovery sum and its later "was this request counted?" answers must agree, even when the sum is taken
/// while a ledger batch is open (docs/GOVERNANCE.md, "What happens on failure"). Without the fence the sum missed the
/// open batch's rows, yet once they committed their stamps lay before its watermark: a settle retried for one of them
/// was taken as already counted and never charged.
/// </summary>
public sealed class LedgerFenceTests
{
    public static TheoryDataEngines Engines => TestDatabase.Engines;

    [Theory]
    [MemberData(nameof(Engines))]
    public async Task A_total_taken_while_a_ledger_batch_is_open_waits_for_it_and_counts_its_rows(StorageEngine engine)
    {
        await using var database = await TestDatabase.CreateAsync(engine);
        await new MigrationRunner(database.Connections).ApplyAsync();
        var store = new OdockStore(database.Connections);
        var first = LedgerRecords.Numbered(1);
        await using (var session = await store.OpenAsync())
        {
            await session.Usage.AppendAsync([first]);
        }

        // A batch is open: its row is stamped by the database clock but not yet visible to anyone else.
        var open = LedgerRecords.Numbered(2);
        await using var batch = await store.BeginTransactionAsync();
        await batch.Usage.AppendAsync([open]);

        var total = Task.Run(async () =>
        {
            await using var session = await store.OpenAsync();
            return await session.Usage.TotalAsync(LimitScope.Organisation, LedgerRecords.Organisation, LedgerRecords.Start, null);
        });
        await WaitUntilBlockedAsync(database, engine, total);
        Assert.False(total.IsCompleted, "the total must wait for the open ledger batch");

        await batch.CommitAsync();
        var recovered = await total;

        Assert.Equal(first.Cost + open.Cost, recovered.CostIn("USD"));
        Assert.Equal(2, recovered.ServedRequests);
        await using (var session = await store.OpenAsync())
        {
            Assert.True(await session.Usage.IsCountedAsync(open.RequestId, recovered.Watermark));
            var later = LedgerRecords.Numbered(3);
            await session.Usage.AppendAsync([later]);
            Assert.False(await session.Usage.IsCountedAsync(later.RequestId, recovered.Watermark));
        }
    }

    /// <summary>PostgreSQL only: on SQLite every batch takes the database's single write lock, which no code of ours can skip.</summary>
    [Fact]
    public async Task The_postgres_ledger_writer_holds_its_batch_back_while_a_watermark_is_taken()
    {
        await using var database = await TestDatabase.CreateAsync(StorageEngine.Postgres);
        await new MigrationRunner(database.Connections).ApplyAsync();

        // Hold the fence exclusively, as a watermark does for the instant of its read.
        await using var holder = await database.Connections.OpenAsync();
        await ExecuteAsync(holder, $"SELECT pg_advisory_lock({LedgerFence.Key})");

        using var sink = LedgerWriter.CreateSink(database.Connections);
        var write = Task.Run(() => sink.Write([LedgerRecords.Numbered(1), LedgerRecords.Numbered(2)]));
        await WaitUntilBlockedAsync(database, StorageEngine.Postgres, write);
        Assert.False(write.IsCompleted, "the batch must wait for the watermark");

        await ExecuteAsync(holder, $"SELECT pg_advisory_unlock({LedgerFence.Key})");
        Assert.Equal(2, await write);
    }

    /// <summary>
    /// PostgreSQL shows a waiting lock in <c>pg_locks</c>; SQLite's busy wait shows nothing, so there the test gives
    /// the task a moment, which can only let a broken fence pass unseen, never fail a working one.
    /// </summary>
    private static async Task WaitUntilBlockedAsync(TestDatabase database, StorageEngine engine, Task task)
    {
        if (engine != StorageEngine.Postgres)
        {
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(300)));
            return;
        }

        await using var observer = await database.Connections.OpenAsync();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!task.IsCompleted)
        {
            await using var command = observer.CreateCommand();
            command.CommandText =
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted " +
                "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) " +
                $"AND classid::bigint = {LedgerFence.Key >> 32} AND objid::bigint = {LedgerFence.Key & 0xFFFFFFFF}";
            if ((long)(await command.ExecuteScalarAsync(patience.Token))! > 0)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), patience.Token);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
