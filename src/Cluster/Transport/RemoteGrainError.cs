using System.Text.Json.Serialization;

namespace Odock.Cluster.Transport;

/// <summary>What a silo answers when a grain method throws.</summary>
internal sealed record RemoteGrainError(string Type, string Message);

[JsonSerializable(typeof(RemoteGrainError))]
internal sealed partial class TransportJsonContext : JsonSerializerContext;
