using System.Diagnostics.Metrics;

namespace Odock.Cluster.Hosting;

/// <summary>The runtime's figures as metrics (meter <c>Odock.Cluster</c>), the same ones <c>GET /cluster</c> shows.</summary>
internal sealed class ClusterMetrics : IDisposable
{
    public const string MeterName = "Odock.Cluster";

    private readonly Meter _meter = new(MeterName);

    public ClusterMetrics()
    {
        Calls = _meter.CreateCounter<long>("odock.cluster.grain_calls", description: "Grain calls executed on this silo");
        Redirects = _meter.CreateCounter<long>("odock.cluster.not_owner_redirects", description: "Calls answered or retried because the partition had moved");
        FencedWrites = _meter.CreateCounter<long>("odock.cluster.fenced_writes", description: "State writes refused because a newer lease epoch owns the partition");
        Activations = _meter.CreateCounter<long>("odock.cluster.activations_created", description: "Grain activations created on this silo");
        Batches = _meter.CreateCounter<long>("odock.cluster.call_batches", description: "Requests carrying several grain calls received by this silo (their calls count in grain_calls)");
    }

    /// <summary>This process's meter (a test tells silos sharing a process apart by it).</summary>
    public Meter Meter => _meter;

    public Counter<long> Calls { get; }

    public Counter<long> Redirects { get; }

    public Counter<long> FencedWrites { get; }

    public Counter<long> Activations { get; }

    public Counter<long> Batches { get; }

    public void ObserveActivations(Func<int> count) =>
        _meter.CreateObservableGauge("odock.cluster.activations", count, description: "Live grain activations on this silo");

    public void ObservePartitions(Func<int> count) =>
        _meter.CreateObservableGauge("odock.cluster.partitions_owned", count, description: "Partitions this silo serves");

    public void Dispose() => _meter.Dispose();
}
