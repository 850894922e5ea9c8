using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Odock.Grains.ApiKeys;
using Odock.Storage.Store;

namespace Odock.Grains.Tests.ApiKeys;

/// <summary>
/// The last-use flush writes to the store on a thread of its own: with SQLite a write that meets another writer's
/// lock sleeps in SQLite's busy handler on the calling thread, which must not be the gateway's only pool worker.
/// </summary>
public sealed class KeyUseRecorderTests
{
    [Fact]
    public async Task A_flush_started_on_the_thread_pool_writes_from_a_thread_outside_it()
    {
        var store = new WatchingStore();
        await using var services = new ServiceCollection().AddSingleton<IOdockStore>(store).BuildServiceProvider();
        var recorder = new KeyUseRecorder(services, TimeProvider.System, NullLogger<KeyUseRecorder>.Instance);
        recorder.Note(Guid.NewGuid(), DateTimeOffset.UtcNow);

        await Assert.ThrowsAsync<InvalidOperationException>(() => Task.Run(() => recorder.FlushAsync()));

        Assert.False(Assert.Single(store.Writers));
    }

    [Fact]
    public async Task A_flush_with_no_use_to_write_does_not_open_the_store()
    {
        var store = new WatchingStore();
        await using var services = new ServiceCollection().AddSingleton<IOdockStore>(store).BuildServiceProvider();
        var recorder = new KeyUseRecorder(services, TimeProvider.System, NullLogger<KeyUseRecorder>.Instance);

        await recorder.FlushAsync();

        Assert.Empty(store.Writers);
    }

    /// <summary>Remembers whether each transaction began on a pool thread, then refuses it (the test needs no database).</summary>
    private sealed class WatchingStore : IOdockStore
    {
        public List<bool> Writers { get; } = [];

        public Task<IStoreSession> OpenAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IStoreSession> BeginTransactionAsync(CancellationToken cancellationToken = default)
        {
            lock (Writers)
            {
                Writers.Add(Thread.CurrentThread.IsThreadPoolThread);
            }

            throw new InvalidOperationException("This store writes nothing.");
        }
    }
}
