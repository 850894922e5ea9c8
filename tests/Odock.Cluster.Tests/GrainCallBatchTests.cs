using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Odock.Cluster.Placement;
using Odock.Cluster.Tests.Grains;
using Odock.Cluster.Transport;
using Odock.Testing.Cluster;

namespace Odock.Cluster.Tests;

/// <summary>
/// A caller's batches against a real HTTP/2 listener on loopback that answers as a silo would, or as an older or
/// failing one: each call of a batch ends as it would have alone, and a batch that surely did not run goes again call
/// by call. (<see cref="MultiSiloTests"/> runs batches against real silos.)
/// </summary>
public sealed class GrainCallBatchTests : IAsyncLifetime
{
    private WebApplication? _silo;
    private ServiceProvider? _client;
    private FixedDirectory? _directory;
    private int _singles;
    private int _batches;

    /// <summary>How the listener answers a batch.</summary>
    private Func<int, Task<(int Status, byte[] Body)>> _batchAnswer = _ => Task.FromResult((404, Array.Empty<byte>()));

    private IGrainFactory Grains => _client!.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        (_silo, var address) = await LoopbackSilo.StartAsync(silo =>
        {
            silo.MapPost(ClusterProtocol.CallPath, async context =>
            {
                var n = Interlocked.Increment(ref _singles);
                await context.Response.WriteAsync($"\"alone-{n}\"");
            });
            silo.MapPost(ClusterProtocol.BatchPath, async context =>
            {
                Interlocked.Increment(ref _batches);
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                var (status, answer) = await _batchAnswer(CallFrames.ReadCalls(body.ToArray(), ClusterProtocol.MaxBatchCalls).Count);
                context.Response.StatusCode = status;
                await context.Response.Body.WriteAsync(answer);
            });
        });
        _directory = new FixedDirectory(address);

        var services = new ServiceCollection();
        services.AddLogging();
        TestGrainRegistration.With(new ActivationRegistry())(services);
        services.AddOdockClusterClient(TestCluster.FastOptions());
        services.AddSingleton<IPartitionDirectory>(_directory);
        _client = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
    }

    [Fact]
    public async Task Calls_outside_a_batch_and_a_batch_of_one_go_as_single_calls()
    {
        var outside = await Grains.Get<IProbeGrain>("a").WhereAreYou();
        Task<string> alone;
        using (GrainCallBatch.Start())
        {
            alone = Grains.Get<IProbeGrain>("b").WhereAreYou();
        }

        Assert.Equal(["alone-1", "alone-2"], new[] { outside, await alone }.Order());
        Assert.Equal(0, _batches);
    }

    [Fact]
    public async Task Each_call_of_a_batch_ends_with_its_own_answer()
    {
        // One call answered, one whose grain threw, one the silo says it does not serve (it goes again alone), one answered.
        _batchAnswer = count => Task.FromResult((200, Answers(
            (200, "\"batched-0\""),
            (ClusterProtocol.GrainErrorStatus, "{\"Type\":\"System.InvalidOperationException\",\"Message\":\"no such thing\"}"),
            (ClusterProtocol.NotOwnerStatus, ""),
            (200, "\"batched-3\""))));
        Task<string>[] calls;
        using (GrainCallBatch.Start())
        {
            calls = [.. Enumerable.Range(0, 4).Select(i => Grains.Get<IProbeGrain>($"key-{i}").WhereAreYou())];
        }

        Assert.Equal("batched-0", await calls[0]);
        var failure = await Assert.ThrowsAsync<GrainCallException>(() => calls[1]);
        Assert.Equal("System.InvalidOperationException", failure.RemoteType);
        Assert.Equal("no such thing", failure.Message);
        Assert.Equal("alone-1", await calls[2]);
        Assert.Equal("batched-3", await calls[3]);
        Assert.Equal(1, _batches);
        Assert.Equal(1, _singles);
    }

    [Fact]
    public async Task A_silo_without_batches_gets_every_call_again_on_its_own()
    {
        _batchAnswer = _ => Task.FromResult((404, Array.Empty<byte>()));
        Task<string>[] calls;
        using (GrainCallBatch.Start())
        {
            calls = [.. Enumerable.Range(0, 3).Select(i => Grains.Get<IProbeGrain>($"key-{i}").WhereAreYou())];
        }

        Assert.Equal(["alone-1", "alone-2", "alone-3"], (await Task.WhenAll(calls)).Order());
        Assert.Equal(1, _batches);
        Assert.Equal(1, _directory!.Refreshes);
    }

    [Fact]
    public async Task A_batch_the_silo_refused_whole_goes_again_call_by_call_after_a_directory_refresh()
    {
        _batchAnswer = _ => Task.FromResult((ClusterProtocol.NotOwnerStatus, Array.Empty<byte>()));
        Task<string>[] calls;
        using (GrainCallBatch.Start())
        {
            calls = [.. Enumerable.Range(0, 2).Select(i => Grains.Get<IProbeGrain>($"key-{i}").WhereAreYou())];
        }

        Assert.Equal(["alone-1", "alone-2"], (await Task.WhenAll(calls)).Order());
        Assert.Equal(1, _directory!.Refreshes);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_batch_whose_answer_is_lost_or_garbled_loses_every_call_and_sends_none_again(bool garbled)
    {
        // Garbled: one answer for two calls. Lost: the silo gives up with a status no call would have had.
        _batchAnswer = _ => Task.FromResult(garbled ? (200, Answers((200, "\"only-one\""))) : (502, Array.Empty<byte>()));
        Task<string>[] calls;
        using (GrainCallBatch.Start())
        {
            calls = [.. Enumerable.Range(0, 2).Select(i => Grains.Get<IProbeGrain>($"key-{i}").WhereAreYou())];
        }

        foreach (var call in calls)
        {
            var failure = await Assert.ThrowsAsync<ClusterUnavailableException>(() => call);
            Assert.Contains("may or may not have run", failure.Message, StringComparison.Ordinal);
        }

        Assert.Equal(0, _singles);
    }

    [Fact]
    public async Task A_batch_opened_inside_a_batch_joins_it()
    {
        _batchAnswer = count => Task.FromResult((200, Answers([.. Enumerable.Range(0, count).Select(i => (200, $"\"batched-{i}\""))])));
        Task<string> outer, inner;
        using (GrainCallBatch.Start())
        {
            outer = Grains.Get<IProbeGrain>("outer").WhereAreYou();
            using (GrainCallBatch.Start())
            {
                inner = Grains.Get<IProbeGrain>("inner").WhereAreYou();
            }

            Assert.False(inner.IsCompleted);
        }

        Assert.Equal(["batched-0", "batched-1"], new[] { await outer, await inner });
        Assert.Equal(1, _batches);
        Assert.Equal(0, _singles);
    }

    [Fact]
    public async Task More_calls_than_one_batch_holds_go_in_several()
    {
        _batchAnswer = count => Task.FromResult((200, Answers([.. Enumerable.Range(0, count).Select(i => (200, $"\"of-{count}\""))])));
        Task<string>[] calls;
        using (GrainCallBatch.Start())
        {
            calls = [.. Enumerable.Range(0, 2 * ClusterProtocol.MaxBatchCalls + 22).Select(i => Grains.Get<IProbeGrain>($"key-{i}").WhereAreYou())];
        }

        var answers = await Task.WhenAll(calls);

        Assert.Equal(2 * ClusterProtocol.MaxBatchCalls, answers.Count(answer => answer == $"of-{ClusterProtocol.MaxBatchCalls}"));
        Assert.Equal(22, answers.Count(answer => answer == "of-22"));
        Assert.Equal(3, _batches);
        Assert.Equal(0, _singles);
    }

    private static byte[] Answers(params (int Status, string Body)[] answers)
    {
        var output = new ArrayBufferWriter<byte>();
        foreach (var (status, body) in answers)
        {
            CallFrames.WriteAnswer(output, status, body, static (writer, text) => writer.Write(Encoding.UTF8.GetBytes(text)));
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>Names the listener as the owner of every partition, and counts refreshes.</summary>
    private sealed class FixedDirectory(string address) : IPartitionDirectory
    {
        private int _refreshes;

        public int Refreshes => Volatile.Read(ref _refreshes);

        public bool TryGetOwner(int partition, out PartitionOwner owner)
        {
            owner = new PartitionOwner("listener", address, 1);
            return true;
        }

        public Task RefreshAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _refreshes);
            return Task.CompletedTask;
        }
    }
}
