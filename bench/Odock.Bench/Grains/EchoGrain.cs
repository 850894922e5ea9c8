using Odock.Cluster;

namespace Odock.Bench.Grains;

internal sealed class EchoGrain : Grain, IEchoGrain
{
    private long _count;

    public Task<int> Echo(int value) => Task.FromResult(value);

    public Task<long> Increment() => Task.FromResult(++_count);
}
