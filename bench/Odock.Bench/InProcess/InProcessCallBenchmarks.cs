using BenchmarkDotNet.Attributes;
using Odock.Bench.Grains;
using Odock.Bench.Hosting;
using Odock.Cluster;

namespace Odock.Bench.InProcess;

/// <summary>
/// One grain call in local mode, awaited, on an activation that already exists: the floor under every admit, reserve
/// and settle a gateway in the all-in-one process makes.
/// </summary>
[MemoryDiagnoser]
public class InProcessCallBenchmarks
{
    private const int KeyCount = 1024;

    private LocalModeHost? _host;
    private IGrainFactory? _factory;
    private IEchoGrain? _one;
    private IEchoGrain[] _many = [];
    private string[] _keys = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _host = LocalModeHost.StartAsync().GetAwaiter().GetResult();
        _factory = _host.Grains;
        _keys = Enumerable.Range(0, KeyCount).Select(i => $"echo-{i}").ToArray();
        _many = _keys.Select(_factory.Get<IEchoGrain>).ToArray();
        _one = _many[0];
        Task.WhenAll(_many.Select(grain => grain.Echo(0))).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup() => _host?.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>The same activation through a proxy held by the caller.</summary>
    [Benchmark(Baseline = true)]
    public Task<int> Echo() => _one!.Echo(42);

    /// <summary>Stateless work on activation memory, same activation.</summary>
    [Benchmark]
    public Task<long> Increment() => _one!.Increment();

    /// <summary>Rotating over 1,024 live activations, so the catalog lookups miss the CPU cache as a busy silo's do.</summary>
    [Benchmark]
    public Task<int> EchoAcrossKeys() => _many[_next++ & (KeyCount - 1)].Echo(42);

    /// <summary>What a request handler does: a fresh proxy from the factory, then the call.</summary>
    [Benchmark]
    public Task<int> GetProxyThenEcho() => _factory!.Get<IEchoGrain>(_keys[_next++ & (KeyCount - 1)]).Echo(42);
}
