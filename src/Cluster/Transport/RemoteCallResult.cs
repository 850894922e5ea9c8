namespace Odock.Cluster.Transport;

internal readonly record struct RemoteCallResult(RemoteCallOutcome Outcome, byte[] Body);
