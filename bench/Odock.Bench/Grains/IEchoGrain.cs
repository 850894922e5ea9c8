using Odock.Cluster;

namespace Odock.Bench.Grains;

/// <summary>The smallest useful grain call: one integer in, one integer out, so the runtime's own cost is what gets measured.</summary>
[GrainType("bench_echo")]
public interface IEchoGrain : IGrainWithStringKey
{
    Task<int> Echo(int value);

    /// <summary>Touches activation memory (no storage write), like a counter a gateway bumps on every request.</summary>
    Task<long> Increment();
}
