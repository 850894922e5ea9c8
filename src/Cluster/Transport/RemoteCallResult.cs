namespace Odock.Cluster.Transport;

/// <summary>What a remote call came back with; <paramref name="Status"/> is the HTTP status, or 0 when no response came.</summary>
internal readonly record struct RemoteCallResult(RemoteCallOutcome Outcome, byte[] Body, int Status = 0);
