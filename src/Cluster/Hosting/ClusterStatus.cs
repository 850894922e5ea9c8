using System.Text.Json.Serialization;

namespace Odock.Cluster.Hosting;

/// <summary>What <c>GET /cluster</c> answers: the members, what each serves, and how many activations each holds.</summary>
public sealed record ClusterStatus(
    string Mode,
    string Self,
    int PartitionCount,
    IReadOnlyList<ClusterMemberStatus> Members);

public sealed record ClusterMemberStatus(
    string SiloId,
    string Address,
    string Status,
    bool Alive,
    long HeartbeatAgeMs,
    int Activations,
    int PartitionCount,
    IReadOnlyList<int> Partitions);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(ClusterStatus))]
internal sealed partial class ClusterStatusJsonContext : JsonSerializerContext;
